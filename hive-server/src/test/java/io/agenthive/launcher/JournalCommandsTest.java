package io.agenthive.launcher;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import io.agenthive.hive.Hive;
import io.agenthive.hive.HiveTestKit;
import io.agenthive.node.HiveNode;
import io.agenthive.persistence.TestDatabase;
import io.agenthive.task.Priority;
import io.agenthive.task.TaskStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hive export} and {@code hive replay} on a stopped hub's database. */
class JournalCommandsTest {
  @TempDir Path dataDir;

  Config config;

  Config config() {
    if (config == null) {
      config = TestDatabase.config(dataDir);
    }
    return config;
  }

  @Test
  void exportsEveryEventAsNdjsonAndReplaysTheStateAtAnInstant() throws Exception {
    Hive hive = HiveNode.start("journal-cli", config());
    HiveTestKit.await(hive.ready(java.time.Duration.ofSeconds(20)));
    HiveTestKit.agent(hive, "cli-agent", "noop", HiveTestKit.cap("cli", 0.5));
    var task =
        HiveTestKit.submit(
            hive, HiveTestKit.task("cli task", Priority.HIGH, HiveTestKit.needs("cli", 0.1)));
    HiveTestKit.awaitStatus(hive, task.id(), TaskStatus.COMPLETED);
    hive.system().terminate();
    hive.system().getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);

    Path out = dataDir.resolve("export.ndjson");
    assertEquals(0, JournalCommands.export(config(), List.of("--out", out.toString())));
    List<String> lines = Files.readAllLines(out);
    ObjectMapper mapper = new ObjectMapper();
    long previous = 0;
    for (String line : lines) {
      long offset = mapper.readTree(line).get("offset").asLong();
      assertTrue(offset > previous, "journal order");
      previous = offset;
    }
    // the agent's registration, then the task's three: the hot path journals nothing else
    assertEquals(
        List.of("AgentRegistered", "TaskSubmitted", "TaskStarted", "TaskCompleted"),
        lines.stream()
            .map(
                l -> {
                  try {
                    return mapper.readTree(l).get("type").asText();
                  } catch (Exception e) {
                    throw new AssertionError(l, e);
                  }
                })
            .toList());

    String at = Instant.now().plusSeconds(1).toString();
    String summary = printed(List.of("--at", at));
    assertTrue(summary.contains("Agents: 1 (1 idle)"), summary);
    assertTrue(
        summary
            .lines()
            .anyMatch(l -> l.matches("\\s+cli-agent\\s+idle\\s+1\\s+0\\s+cli=0\\.\\d{3}")),
        summary);
    assertTrue(summary.contains("Tasks: 1 (1 completed)"), summary);

    // test logging shares stdout here; the state is the indented document from "{" to "}"
    List<String> json = printed(List.of("--at", at, "--json")).lines().toList();
    int first = json.indexOf("{");
    int last = json.lastIndexOf("}");
    assertTrue(first >= 0 && last > first, "no state printed: " + json);
    JsonNode state = mapper.readTree(String.join("\n", json.subList(first, last + 1)));
    assertEquals("completed", state.at("/tasks/0/status").asText());
    assertEquals(1, state.at("/agents/0/stats/tasks_completed").asInt());
  }

  private String printed(List<String> args) throws Exception {
    PrintStream stdout = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true));
    try {
      assertEquals(0, JournalCommands.replay(config(), args));
    } finally {
      System.setOut(stdout);
    }
    return captured.toString();
  }
}
