package io.agenthive.launcher;

import static io.agenthive.testing.Eventually.until;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agenthive.persistence.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backup docs/audit.md gives for a hub on PostgreSQL, done to a running hub: {@code pg_dump}
 * while it serves, the database then lost (the hub killed, its schema dropped), {@code pg_restore}
 * and the hub started again with its data directory (its signing key). The restored hub verifies
 * its journal (every chain and the signed checkpoints) and shows the same hive at three instants
 * and the same history for every task. On H2 there is nothing to test: its backup is a copy of the
 * stopped hub's data directory.
 */
class PostgresBackupRestoreTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void aDumpOfARunningHubRestoresTheSameVerifiableHive() throws Exception {
    assumeTrue(TestDatabase.postgres(), "pg_dump backs up PostgreSQL; H2's backup is a file copy");
    try (HubProcess hub =
        new HubProcess(dir, "512m", Map.of("HIVE_AUDIT_CHECKPOINT_INTERVAL", "1s"))) {
      hub.start();
      hub.awaitReady();
      HubProcess.Reply agent =
          hub.call(
              "POST",
              "/api/agents",
              "{\"name\": \"backup-agent\", \"type\": \"worker\", \"capabilities\": [{\"name\":"
                  + " \"backup\", \"proficiency\": 0.8}], \"skill\": {\"name\": \"noop\"}}");
      assertEquals(201, agent.status(), agent.body());
      List<String> tasks = new ArrayList<>();
      List<Instant> instants = new ArrayList<>();
      for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 5; i++) {
          HubProcess.Reply r =
              hub.call(
                  "POST",
                  "/api/tasks",
                  "{\"title\": \"backup "
                      + round
                      + "."
                      + i
                      + "\", \"required_capabilities\": [{\"name\": \"backup\"}]}");
          assertEquals(201, r.status(), r.body());
          tasks.add(r.json().get("id").asText());
        }
        for (String id : tasks) {
          until(
              () -> hub.get("/api/tasks/" + id).path("status").asText(),
              "completed"::equals,
              "task " + id + " completed");
        }
        instants.add(Instant.now());
      }
      // the hub signs a checkpoint each second over the events written 10 s before
      JsonNode before =
          until(
              () -> verification(hub),
              v -> v.path("intact").asBoolean() && v.path("checkpoints").asLong() >= 1,
              "an intact journal with a signed checkpoint");
      Map<String, JsonNode> seen = views(hub, tasks, instants);

      Path dump = dir.resolve("hive.dump");
      run(
          List.of(
              "pg_dump",
              "-h",
              "127.0.0.1",
              "-U",
              "hive",
              "-d",
              "hive_test",
              "-n",
              hub.pgSchema(),
              "-Fc",
              "-f",
              dump.toString()));
      assertTrue(Files.size(dump) > 0, "an empty dump");
      hub.close(); // kill -9, and the database with it
      try (Connection c = hub.database();
          Statement st = c.createStatement()) {
        st.execute("DROP SCHEMA " + hub.pgSchema() + " CASCADE");
      }
      run(
          List.of(
              "pg_restore", "-h", "127.0.0.1", "-U", "hive", "-d", "hive_test", dump.toString()));

      hub.start();
      hub.awaitReady();
      JsonNode after = verification(hub);
      assertTrue(after.path("intact").asBoolean(), after.toString());
      assertTrue(after.path("checkpoints").asLong() >= 1, after.toString());
      assertTrue(after.path("events").asLong() >= before.path("events").asLong(), after.toString());
      assertEquals(seen, views(hub, tasks, instants));
    }
  }

  /** The hive at each instant, and every task's history, as the API shows them. */
  private static Map<String, JsonNode> views(
      HubProcess hub, List<String> tasks, List<Instant> instants) throws Exception {
    Map<String, JsonNode> views = new LinkedHashMap<>();
    for (Instant at : instants) {
      views.put("state at " + at, hub.get("/api/hive/state?at=" + at));
    }
    for (String id : tasks) {
      views.put("history of " + id, hub.get("/api/tasks/" + id + "/history"));
    }
    return views;
  }

  /** {@code GET /api/audit/verify}'s result: its last line. */
  private static JsonNode verification(HubProcess hub) throws Exception {
    HubProcess.Reply r = hub.call("GET", "/api/audit/verify", null);
    assertEquals(200, r.status(), r.body());
    String last = "";
    for (String line : r.body().split("\n")) {
      if (!line.isBlank()) {
        last = line;
      }
    }
    return JSON.readTree(last);
  }

  private static void run(List<String> command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("PGPASSWORD", "hive");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(2, TimeUnit.MINUTES), command + " did not end");
    assertEquals(0, p.exitValue(), command + ": " + out);
  }
}
