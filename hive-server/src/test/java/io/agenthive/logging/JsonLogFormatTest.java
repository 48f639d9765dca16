package io.agenthive.logging;

import static org.junit.jupiter.api.Assertions.*;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agenthive.common.HiveMdc;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * The shipped {@code logback-json.xml}, loaded as the hub loads it: one JSON object per line on
 * stderr, the message formatted, the MDC's task, agent and request ids as fields.
 */
class JsonLogFormatTest {
  @Test
  void eachLineIsOneJsonObjectCarryingTheMdc() throws Exception {
    PrintStream realErr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(MDC.getMDCAdapter()); // the one the hub's own context uses
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      JoranConfigurator configurator = new JoranConfigurator();
      configurator.setContext(context);
      configurator.doConfigure(getClass().getResource("/logback-json.xml"));
      MDC.put(HiveMdc.TASK_ID, "task-42");
      MDC.put(HiveMdc.AGENT_ID, "agent-7");
      context
          .getLogger("io.agenthive.task.TaskEntity")
          .warn("Task [{}] waited {} ms", "task-42", 12);
      context.getLogger("io.agenthive.task.TaskEntity").debug("below the level: not written");
    } finally {
      MDC.clear();
      System.setErr(realErr);
      context.stop();
    }
    String[] lines = captured.toString(StandardCharsets.UTF_8).strip().split("\n");
    assertEquals(1, lines.length, captured.toString(StandardCharsets.UTF_8));
    assertFalse(
        lines[0].isEmpty(),
        () -> "nothing logged; logback said: " + context.getStatusManager().getCopyOfStatusList());
    JsonNode line = new ObjectMapper().readTree(lines[0]);
    assertNotNull(line.get("loggerName"), lines[0]);
    assertEquals("WARN", line.get("level").asText());
    assertEquals("io.agenthive.task.TaskEntity", line.get("loggerName").asText());
    assertEquals("Task [task-42] waited 12 ms", line.get("formattedMessage").asText());
    assertEquals("task-42", line.at("/mdc/taskId").asText());
    assertEquals("agent-7", line.at("/mdc/agentId").asText());
    assertTrue(line.get("timestamp").asLong() > 0);
  }
}
