package io.agenthive.logging;

import static org.junit.jupiter.api.Assertions.*;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The shipped text {@code logback.xml}, loaded as the hub loads it: a caller's value with a newline
 * in it (an MCP client that named itself "x\nWARN forged") stays on its own line, escaped, instead
 * of forging a second log line.
 */
class SafeTextLogTest {
  @Test
  void aValueWithANewlineCannotForgeALogLine() throws Exception {
    PrintStream realErr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(org.slf4j.MDC.getMDCAdapter()); // the one the hub's own context uses
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      JoranConfigurator configurator = new JoranConfigurator();
      configurator.setContext(context);
      configurator.doConfigure(getClass().getResource("/logback.xml"));
      context
          .getLogger("io.agenthive.mcp.McpRoutes")
          .info("MCP client [{}] connected", "evil\n12:00:00.000 WARN  i.a.Hive - forged\u0007");
    } finally {
      System.setErr(realErr);
      context.stop();
    }
    String[] lines = captured.toString(StandardCharsets.UTF_8).strip().split("\n");
    assertEquals(1, lines.length, captured.toString(StandardCharsets.UTF_8));
    assertFalse(
        lines[0].isEmpty(),
        () -> "nothing logged; logback said: " + context.getStatusManager().getCopyOfStatusList());
    assertTrue(
        lines[0].endsWith(
            "MCP client [evil\\n12:00:00.000 WARN  i.a.Hive - forged\\u0007] connected"),
        lines[0]);
  }
}
