package io.agenthive.launcher;

import static io.agenthive.testing.Eventually.until;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import io.agenthive.hive.Hive;
import io.agenthive.hive.HiveTestKit;
import io.agenthive.node.HiveNode;
import io.agenthive.persistence.DatabaseSettings;
import io.agenthive.persistence.TestDatabase;
import io.agenthive.persistence.audit.Checkpoint;
import io.agenthive.persistence.audit.JournalAudit;
import io.agenthive.security.HubTokens;
import io.agenthive.security.SecuritySettings;
import io.agenthive.task.Priority;
import io.agenthive.task.TaskStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hive export}, {@code hive replay} and {@code hive verify} on a stopped hub's database. */
class JournalCommandsTest {
  @TempDir Path dataDir;

  Config config;

  Config config() {
    if (config == null) {
      // the key's default path was resolved against the default data directory: this test's own
      config =
          TestDatabase.config(dataDir)
              .withValue(
                  "hive.audit.checkpoint-lag",
                  com.typesafe.config.ConfigValueFactory.fromAnyRef("0s"))
              .withValue(
                  "hive.http.auth.signing-key-file",
                  com.typesafe.config.ConfigValueFactory.fromAnyRef(
                      dataDir.resolve("signing-key.jwk").toString()));
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
    // a checkpoint over everything so far (lag 0 here), as the hub writes one every 30 s
    HubTokens tokens = HubTokens.load(SecuritySettings.from(config()), Clock.systemUTC());
    DatabaseSettings db = DatabaseSettings.from(config());
    long newest = newestOrdering(db);
    JournalAudit audit = JournalAudit.start(hive.system(), db::connect, tokens.journalSigner());
    AtomicReference<Checkpoint> signed = new AtomicReference<>();
    until(
        () -> {
          Checkpoint k = audit.checkpoint().toCompletableFuture().get(10, TimeUnit.SECONDS);
          return k == null ? signed.get() : signed.updateAndGet(old -> k);
        },
        k -> k != null && k.toOrdering() >= newest,
        "a checkpoint over every event so far (one written this millisecond waits for the next)");
    hive.system().terminate();
    hive.system().getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);

    Path out = dataDir.resolve("export.ndjson");
    assertEquals(0, JournalCommands.export(config(), List.of("--out", out.toString())));
    List<String> all = Files.readAllLines(out);
    ObjectMapper mapper = new ObjectMapper();
    // the events, then the checkpoints with their signatures, so a copy can be checked later
    JsonNode exported = mapper.readTree(all.get(all.size() - 1)).get("checkpoint");
    assertNotNull(exported, all.get(all.size() - 1));
    assertEquals(signed.get().rootHex(), exported.get("merkle_root").asText());
    assertEquals(signed.get().toOrdering(), exported.get("to_offset").asLong());
    assertArrayEquals(
        signed.get().signature(),
        java.util.Base64.getDecoder().decode(exported.get("signature").asText()));
    // the signature covers the text docs/audit.md gives, rebuilt from the line alone
    String signedText =
        "agent-hive journal checkpoint v1|"
            + (exported.get("from_offset").asLong() - 1)
            + "|"
            + exported.get("to_offset").asLong()
            + "|"
            + exported.get("events").asLong()
            + "|"
            + exported.get("merkle_root").asText()
            + "|"
            + Instant.parse(exported.get("signed_at").asText()).toEpochMilli()
            + "|"
            + exported.get("key_id").asText();
    assertTrue(
        tokens
            .journalSigner()
            .verifies(
                signedText.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.util.Base64.getDecoder().decode(exported.get("signature").asText())),
        signedText);
    List<String> lines = all.stream().filter(l -> !l.startsWith("{\"checkpoint\"")).toList();
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

  @Test
  void verifyFindsTheJournalIntactThenNamesAnEditedPayload() throws Exception {
    Hive hive = HiveNode.start("journal-verify", config());
    HiveTestKit.await(hive.ready(java.time.Duration.ofSeconds(20)));
    HiveTestKit.agent(hive, "verify-agent", "noop", HiveTestKit.cap("verify", 0.5));
    var task =
        HiveTestKit.submit(
            hive, HiveTestKit.task("verify task", Priority.HIGH, HiveTestKit.needs("verify", 0.1)));
    HiveTestKit.awaitStatus(hive, task.id(), TaskStatus.COMPLETED);
    hive.system().terminate();
    hive.system().getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);

    UsageError noKey =
        assertThrows(UsageError.class, () -> JournalCommands.verify(config(), List.of()));
    assertTrue(noKey.getMessage().contains("signing key"), noKey.getMessage());
    HubTokens.load(SecuritySettings.from(config()), Clock.systemUTC()); // as a first start makes it

    String intact =
        Printed.stdoutOf(() -> assertEquals(0, JournalCommands.verify(config(), List.of())));
    assertTrue(
        intact
            .lines()
            .anyMatch(l -> l.matches("The journal is intact: \\d+ events, no checkpoint yet\\.")),
        intact);

    DatabaseSettings db = DatabaseSettings.from(config());
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        Statement st = c.createStatement()) {
      st.executeUpdate(
          "UPDATE \"event_journal\" SET \"write_timestamp\" = \"write_timestamp\" - 1000"
              + " WHERE \"persistence_id\" = 'Task|"
              + task.id()
              + "' AND \"sequence_number\" = 3");
    }
    String altered =
        Printed.stdoutOf(() -> assertEquals(1, JournalCommands.verify(config(), List.of())));
    assertTrue(
        altered.contains(
            "The journal was altered: 1 broken links. The first: Task|" + task.id() + " event 3"),
        altered);
  }

  private static long newestOrdering(DatabaseSettings db) throws Exception {
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        Statement st = c.createStatement();
        java.sql.ResultSet rs =
            st.executeQuery("SELECT MAX(\"ordering\") FROM \"event_journal\"")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private String printed(List<String> args) throws Exception {
    return Printed.stdoutOf(() -> assertEquals(0, JournalCommands.replay(config(), args)));
  }
}
