package io.agenthive.http;

import static io.agenthive.hive.HiveTestKit.agent;
import static io.agenthive.hive.HiveTestKit.cap;
import static io.agenthive.testing.Eventually.until;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Retention that deletes events ({@code hive.retention.delete-events = on}) on a real hub: after a
 * sweep the retired tasks' events are gone from the journal (each task is unknown by its id), the
 * journal with its signed checkpoint over them still verifies, and a task that comes back under a
 * retired id (its idempotency key submitted again) goes on after the kept row: it runs, completes
 * and the journal verifies again.
 */
class TaskRetentionDeleteTest {
  static ApiTestHub hub;

  @BeforeAll
  static void start() throws Exception {
    Path dataDir = Files.createTempDirectory("task-retention-delete-test");
    hub =
        ApiTestHub.start(
            "TaskRetentionDeleteTest",
            dataDir,
            "hive.retention { finished-tasks-after = 2s, delete-events = on,"
                + " sweep-interval = 1h, archive-dir = \""
                + dataDir.resolve("archive")
                + "\" }\n"
                // checkpoints at once: the deleted events are under a signed one before they go
                + "hive.audit { checkpoint-interval = 300ms, checkpoint-lag = 0s }");
    agent(hub.hive, "keeper", "noop", cap("keep", 0.5));
  }

  @AfterAll
  static void stop() {
    hub.stop();
  }

  static final String KEPT =
      "\"required_capabilities\": [{\"name\": \"keep\", \"minimum_proficiency\": 0.1}]";

  @Test
  void retiredTasksLeaveTheJournalWhichStillVerifiesAndARetiredIdMayComeBack() throws Exception {
    List<String> finished = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      finished.add(submit("{\"title\": \"old " + i + "\", " + KEPT + "}"));
    }
    String keyed = "{\"title\": \"keyed\", \"idempotency_key\": \"comes-back\", " + KEPT + "}";
    String again = submit(keyed);
    finished.add(again);
    for (String id : finished) {
      hub.http.getUntil(
          "/api/tasks/" + id, r -> r.json().path("status").asText().equals("completed"), id);
    }
    hub.http.getUntil(
        "/api/admin/retention",
        r -> r.json().path("due").asLong() == finished.size(),
        "the finished tasks to pass the retention period");
    assertTrue(hub.http.get("/api/admin/retention").json().path("delete_events").asBoolean());
    until(
        TaskRetentionDeleteTest::verify,
        r ->
            r.path("checkpoints").asLong() > 0
                && r.path("events_after_newest_checkpoint").asLong() == 0,
        "a signed checkpoint over every event so far");

    JsonNode swept = hub.http.post("/api/admin/retention/sweep", "").json();
    assertEquals(finished.size(), swept.path("retired").asInt(), swept.toString());
    // three events each (submitted, started, completed); the newest of each stays, marked
    assertEquals(finished.size() * 2, swept.path("events_deleted").asLong(), swept.toString());
    for (String id : finished) {
      assertEquals(404, hub.http.get("/api/tasks/" + id).status(), "events of " + id + " gone");
    }
    JsonNode after = verify();
    assertTrue(after.path("intact").asBoolean(), after.toString());

    // the same key names the same id: a new task, after the kept row, that runs and verifies
    var back = hub.http.post("/api/tasks", keyed);
    assertEquals(201, back.status(), back.body());
    assertEquals(again, back.json().path("id").asText());
    JsonNode done =
        hub.http
            .getUntil(
                "/api/tasks/" + again,
                r -> r.json().path("status").asText().equals("completed"),
                "the task that came back under a retired id")
            .json();
    assertEquals(1, done.path("attempts").asInt(), done.toString());
    JsonNode last = verify();
    assertTrue(last.path("intact").asBoolean(), last.toString());
  }

  private static JsonNode verify() throws Exception {
    String body = hub.http.get("/api/audit/verify").body();
    return new ObjectMapper().readTree(body.strip().lines().reduce((a, b) -> b).orElseThrow());
  }

  private static String submit(String json) throws Exception {
    var created = hub.http.post("/api/tasks", json);
    assertEquals(201, created.status(), created.body());
    return created.json().path("id").asText();
  }
}
