package io.agenthive.launcher;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.testing.Eventually;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One journal row damaged on purpose (the payload of a TaskCompleted overwritten with SQL, on H2 or
 * on PostgreSQL as the suite runs) costs its task and nothing else: a real hub restarted on the
 * damaged journal, with its read side rebuilt through the bad row, comes up ready, lists the row in
 * its quarantine and metric, reads every other task as before, keeps feeding its projection and
 * {@code /api/events} past it, and answers for the damaged task with a clear error.
 */
class PoisonEventTest {
  static final String NOOP_AGENT =
      "{\"name\": \"n\", \"type\": \"worker\", \"skill\": \"noop\","
          + " \"capabilities\": [{\"name\": \"x\", \"proficiency\": 0.9}]}";
  static final String TASK =
      "{\"title\": \"t\", \"required_capabilities\": [{\"name\": \"x\","
          + " \"minimum_proficiency\": 0.5}]}";

  @TempDir Path dir;

  @Test
  void aDamagedEventCostsItsTaskAndNothingElse() throws Exception {
    try (HubProcess hub = new HubProcess(dir, "512m", Map.of())) {
      hub.start();
      hub.awaitReady();
      assertPrivate(dir.resolve("data"));
      assertEquals(201, hub.call("POST", "/api/agents", NOOP_AGENT).status());
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        ids.add(submit(hub));
      }
      ids.forEach(id -> awaitStatus(hub, id, "completed"));
      String victim = ids.get(1);
      hub.stop();

      try (Connection c = hub.database()) {
        damage(c, victim);
        try (Statement st = c.createStatement()) {
          st.executeUpdate("DELETE FROM \"akka_projection_offset_store\""); // rebuild the read side
        }
      }

      hub.start();
      hub.awaitReady();
      JsonNode damaged = hub.get("/api/tasks/" + victim);
      assertEquals("failed", damaged.path("status").asText());
      String error = damaged.at("/result/error").asText();
      assertTrue(error.startsWith("unreadable_history: event 3 of this task"), error);
      for (String other : List.of(ids.get(0), ids.get(2))) {
        assertEquals("completed", hub.get("/api/tasks/" + other).path("status").asText());
      }
      HubProcess.Reply retry = hub.call("POST", "/api/tasks/" + victim + "/retry", null);
      assertEquals(409, retry.status(), retry.body());
      assertTrue(retry.body().contains("unreadable_history"), retry.body());

      JsonNode listed = hub.get("/api/admin/quarantine").path("events");
      assertTrue(
          Stream.of(listed.toString())
              .anyMatch(
                  s -> s.contains("\"persistence_id\":\"Task|" + victim + "\",\"sequence_nr\":3")),
          listed.toString());
      assertTrue(hub.metric("hive_events_unreadable_total{entity_kind=\"Task\"}") >= 1);

      // work goes on, and every reader passes the bad row
      String after = submit(hub);
      awaitStatus(hub, after, "completed");
      Eventually.eventually(
          () -> listedAs(hub, after, "completed") && listedAs(hub, victim, "failed") ? true : null,
          "the rebuilt task list to hold the new task and the damaged one");
      assertTrue(feedReaches(hub, after), "/api/events from 0 reaches the task submitted after");
      String audit = hub.call("GET", "/api/audit/events?entity_kind=task", null).body(); // NDJSON
      assertTrue(audit.contains("\"TaskUnreadable\""), audit);
      assertTrue(audit.contains(after), "the audit stream goes past the bad row");
      JsonNode then = hub.get("/api/hive/state?at=" + Instant.now());
      assertTrue(then.path("tasks").toString().contains(after), "time travel reads past it");
      assertFalse(hub.logText().contains("Exception in thread"), hub.logText());
    }
  }

  /** The data directory is its owner's alone (0700), and so is what the hub keeps in it. */
  private static void assertPrivate(Path data) throws Exception {
    if (!data.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return;
    }
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
    Path journal = data.resolve("hive.mv.db");
    if (Files.exists(journal)) {
      assertEquals(
          "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(journal)));
    }
  }

  private static void damage(Connection c, String taskId) throws Exception {
    try (PreparedStatement st =
        c.prepareStatement(
            "UPDATE \"event_journal\" SET \"event_payload\" = ? WHERE \"persistence_id\" = ?"
                + " AND \"event_ser_manifest\" LIKE '%TaskCompleted'")) {
      st.setBytes(1, "this is not CBOR at all".getBytes(StandardCharsets.UTF_8));
      st.setString(2, "Task|" + taskId);
      assertEquals(1, st.executeUpdate(), "one TaskCompleted row damaged");
    }
  }

  static String submit(HubProcess hub) {
    try {
      HubProcess.Reply r = hub.call("POST", "/api/tasks", TASK);
      assertEquals(201, r.status(), r.body());
      return r.json().path("id").asText();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static void awaitStatus(HubProcess hub, String id, String status) {
    Eventually.eventually(
        () -> {
          try {
            return status.equals(hub.get("/api/tasks/" + id).path("status").asText())
                ? Boolean.TRUE
                : null;
          } catch (Exception e) {
            return null;
          }
        },
        "task " + id + " " + status,
        Duration.ofSeconds(60));
  }

  private static boolean listedAs(HubProcess hub, String id, String status) {
    try {
      for (JsonNode t : hub.get("/api/tasks?limit=100").path("items")) {
        if (t.path("id").asText().equals(id)) {
          return t.path("status").asText().equals(status);
        }
      }
      return false;
    } catch (Exception e) {
      return false;
    }
  }

  /** Reads /api/events from offset 0 as SSE until the task's completion shows (or 30 s). */
  private static boolean feedReaches(HubProcess hub, String taskId) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(hub.base() + "/api/events?since=0"))
            .header("Authorization", "Bearer " + hub.adminKey())
            .header("Accept", "text/event-stream")
            .build();
    HttpResponse<Stream<String>> r = client.send(req, HttpResponse.BodyHandlers.ofLines());
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    try (Stream<String> lines = r.body()) {
      var it = lines.iterator();
      while (System.nanoTime() < deadline && it.hasNext()) {
        String line = it.next();
        if (line.contains(taskId) && line.contains("TaskCompleted")) {
          return true;
        }
      }
    }
    return false;
  }
}
