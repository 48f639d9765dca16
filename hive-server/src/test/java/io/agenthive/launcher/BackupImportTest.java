package io.agenthive.launcher;

import static io.agenthive.testing.Eventually.until;
import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import io.agenthive.hive.Hive;
import io.agenthive.hive.HiveTestKit;
import io.agenthive.http.api.AuditFormat;
import io.agenthive.node.HiveNode;
import io.agenthive.persistence.DatabaseSettings;
import io.agenthive.persistence.HiveEventFeed;
import io.agenthive.persistence.HiveReplay;
import io.agenthive.persistence.TestDatabase;
import io.agenthive.persistence.audit.Checkpoint;
import io.agenthive.persistence.audit.JournalAudit;
import io.agenthive.security.HubTokens;
import io.agenthive.security.SecuritySettings;
import io.agenthive.task.Priority;
import io.agenthive.task.Task;
import io.agenthive.task.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./hive export --backup} of a hub on the embedded H2, and {@code ./hive import} into an
 * empty database: H2 in the README's run, PostgreSQL in the {@code postgres} one (the move off H2).
 */
class BackupImportTest {
  @TempDir Path source;
  @TempDir Path target;

  Config sourceConfig() {
    return TestDatabase.h2(source)
        .withValue("hive.audit.checkpoint-lag", ConfigValueFactory.fromAnyRef("0s"))
        .withValue("hive.http.auth.signing-key-file", ConfigValueFactory.fromAnyRef(key()));
  }

  /** The target uses the source hub's key, as the docs say to copy it. */
  Config targetConfig(Path dataDir) {
    return TestDatabase.config(dataDir)
        .withValue("hive.http.auth.signing-key-file", ConfigValueFactory.fromAnyRef(key()));
  }

  String key() {
    return source.resolve("signing-key.jwk").toString();
  }

  @Test
  void anImportedBackupIsTheSameHiveAtEveryInstantAndRunsOn() throws Exception {
    List<Instant> instants = new ArrayList<>();
    List<String> taskIds = sourceHive(instants);
    Path backup = source.resolve("hive-backup.ndjson");
    String written =
        Printed.stderrOf(
            () ->
                assertEquals(
                    0,
                    JournalCommands.export(
                        sourceConfig(), List.of("--backup", "--out", backup.toString()))));
    assertTrue(written.contains("Wrote a backup of "), written);

    Config restored = targetConfig(target);
    String said =
        Printed.stdoutOf(
            () ->
                assertEquals(0, BackupCommands.importBackup(restored, List.of(backup.toString()))));
    assertTrue(said.contains("The journal is intact"), said);

    // the same hive at each instant, and the same events and checkpoints, line for line
    for (Instant at : instants) {
      assertEquals(state(sourceConfig(), at), state(restored, at), "the hive at " + at);
    }
    Path before = source.resolve("before.ndjson");
    Path after = source.resolve("after.ndjson");
    JournalCommands.export(sourceConfig(), List.of("--out", before.toString()));
    JournalCommands.export(restored, List.of("--out", after.toString()));
    assertEquals(Files.readAllLines(before), Files.readAllLines(after));
    assertEquals(0, JournalCommands.verify(restored, List.of()));

    // a hub started on it knows every task and goes on writing after the imported orderings
    Hive hive = HiveNode.start("restored", restored);
    try {
      HiveTestKit.await(hive.ready(Duration.ofSeconds(30)));
      for (String id : taskIds) {
        assertEquals(TaskStatus.COMPLETED, HiveTestKit.task(hive, id).status(), id);
      }
      Task more =
          HiveTestKit.submit(
              hive,
              HiveTestKit.task("after the move", Priority.HIGH, HiveTestKit.needs("move", 0.1)));
      HiveTestKit.awaitStatus(hive, more.id(), TaskStatus.COMPLETED);
    } finally {
      hive.system().terminate();
      hive.system().getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void anEditedByteIsRefusedNamingItsLineAndNothingIsLeftBehind() throws Exception {
    sourceHive(new ArrayList<>());
    Path backup = source.resolve("hive-backup.ndjson");
    Printed.stderrOf(
        () ->
            JournalCommands.export(
                sourceConfig(), List.of("--backup", "--out", backup.toString())));
    List<String> lines = Files.readAllLines(backup, StandardCharsets.UTF_8);

    // one byte of one event's payload: a character of its base64 changed to another
    int edited = -1;
    for (int i = 0; i < lines.size() && edited < 0; i++) {
      String line = lines.get(i);
      int at = line.indexOf("\"event_payload\":\"");
      if (line.contains("\"TaskCompleted\"") || (at > 0 && line.contains("Task|"))) {
        int c = at + "\"event_payload\":\"".length() + 8;
        char was = line.charAt(c);
        lines.set(i, line.substring(0, c) + (was == 'A' ? 'B' : 'A') + line.substring(c + 1));
        edited = i + 1;
      }
    }
    assertTrue(edited > 0, "a task event to edit");
    Path altered = source.resolve("altered.ndjson");
    Files.write(altered, lines, StandardCharsets.UTF_8);
    Config restored = targetConfig(target);
    String refused =
        Printed.stderrOf(
            () ->
                assertEquals(
                    1, BackupCommands.importBackup(restored, List.of(altered.toString()))));
    assertTrue(
        refused.startsWith("Line " + edited + " of the backup does not verify: altered at Task|"),
        refused);
    assertTrue(refused.trim().endsWith("Nothing was imported."), refused);
    assertEquals(0, rowsLeft(restored), "an import loads all of a backup or nothing");

    // a row the chain does not cover (an event's tag), changed, with the SHA-256 made again: the
    // end line's signature, made with the hub's key, no longer covers it
    List<String> retagged = new ArrayList<>(Files.readAllLines(backup, StandardCharsets.UTF_8));
    int tag = -1;
    for (int i = 0; i < retagged.size() && tag < 0; i++) {
      if (retagged.get(i).startsWith("{\"t\":\"event_tag\"")) {
        retagged.set(i, retagged.get(i).replace("\"tag\":\"", "\"tag\":\"x"));
        tag = i;
      }
    }
    assertTrue(tag > 0, "a tag row to change");
    resign(retagged);
    Path forged = source.resolve("forged.ndjson");
    Files.write(forged, retagged, StandardCharsets.UTF_8);
    String unsigned =
        Printed.stderrOf(
            () ->
                assertEquals(1, BackupCommands.importBackup(restored, List.of(forged.toString()))));
    assertTrue(unsigned.contains("is not signed by this hub's key"), unsigned);
    assertEquals(0, rowsLeft(restored));

    // cut short: the end line is missing
    Path cut = source.resolve("cut.ndjson");
    Files.write(cut, lines.subList(0, lines.size() - 1), StandardCharsets.UTF_8);
    String cutShort =
        Printed.stderrOf(
            () -> assertEquals(1, BackupCommands.importBackup(restored, List.of(cut.toString()))));
    assertTrue(cutShort.contains("without its end line: it was cut short"), cutShort);
    assertEquals(0, rowsLeft(restored));

    // and not into a database that holds a hive already: what is there stays
    Printed.stdoutOf(
        () -> assertEquals(0, BackupCommands.importBackup(restored, List.of(backup.toString()))));
    long imported = rowsLeft(restored);
    String notEmpty =
        Printed.stderrOf(
            () ->
                assertEquals(1, BackupCommands.importBackup(restored, List.of(backup.toString()))));
    assertTrue(notEmpty.contains("loads a backup into an empty one"), notEmpty);
    assertEquals(imported, rowsLeft(restored));
  }

  /** A hub on H2 that ran tasks, with a checkpoint over all of it; the instants between. */
  private List<String> sourceHive(List<Instant> instants) throws Exception {
    Config config = sourceConfig();
    HubTokens tokens = HubTokens.load(SecuritySettings.from(config), Clock.systemUTC());
    Hive hive = HiveNode.start("backup-source", config);
    List<String> ids = new ArrayList<>();
    try {
      HiveTestKit.await(hive.ready(Duration.ofSeconds(30)));
      HiveTestKit.agent(hive, "mover", "noop", HiveTestKit.cap("move", 0.7));
      for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 5; i++) {
          Task t =
              HiveTestKit.submit(
                  hive,
                  HiveTestKit.task(
                      "move " + round + "." + i, Priority.MEDIUM, HiveTestKit.needs("move", 0.1)));
          HiveTestKit.awaitStatus(hive, t.id(), TaskStatus.COMPLETED);
          ids.add(t.id());
        }
        instants.add(Instant.now());
      }
      DatabaseSettings db = DatabaseSettings.from(config);
      long newest = newestOrdering(config);
      JournalAudit audit = JournalAudit.start(hive.system(), db::connect, tokens.journalSigner());
      AtomicReference<Checkpoint> signed = new AtomicReference<>();
      until(
          () -> {
            Checkpoint k = audit.checkpoint().toCompletableFuture().get(10, TimeUnit.SECONDS);
            return k == null ? signed.get() : signed.updateAndGet(old -> k);
          },
          k -> k != null && k.toOrdering() >= newest,
          "a checkpoint over every event so far");
    } finally {
      hive.system().terminate();
      hive.system().getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    return ids;
  }

  private static String state(Config config, Instant at) throws Exception {
    AtomicReference<byte[]> out = new AtomicReference<>();
    JournalCommands.withJournal(
        config,
        system ->
            new HiveReplay(system, new HiveEventFeed(system))
                .at(at)
                .thenAccept(s -> out.set(AuditFormat.stateIndented(s))));
    return new String(out.get(), StandardCharsets.UTF_8);
  }

  private static long newestOrdering(Config config) throws Exception {
    try (Connection c = DatabaseSettings.from(config).connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT MAX(\"ordering\") FROM \"event_journal\"")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Rows in every table a backup holds but the chain's origin (nothing left means all zero). */
  private static long rowsLeft(Config config) throws Exception {
    long rows = 0;
    try (Connection c = DatabaseSettings.from(config).connect();
        Statement st = c.createStatement()) {
      for (String table :
          List.of(
              "\"event_journal\"",
              "\"event_tag\"",
              "\"snapshot\"",
              "hive_event_tombstone",
              "hive_journal_checkpoint",
              "hive_blob",
              "hive_blob_part")) {
        try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
          rs.next();
          rows += rs.getLong(1);
        }
      }
    }
    return rows;
  }

  /** The end line's SHA-256 made again over the (edited) lines before it, its signature kept. */
  private static void resign(List<String> lines) throws Exception {
    java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
    for (String line : lines.subList(0, lines.size() - 1)) {
      sha.update((line + "\n").getBytes(StandardCharsets.UTF_8));
    }
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    var end =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            mapper.readTree(lines.get(lines.size() - 1));
    ((com.fasterxml.jackson.databind.node.ObjectNode) end.get("end"))
        .put("sha256", java.util.HexFormat.of().formatHex(sha.digest()));
    lines.set(lines.size() - 1, mapper.writeValueAsString(end));
  }
}
