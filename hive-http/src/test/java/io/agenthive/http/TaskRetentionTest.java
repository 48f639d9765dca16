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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Retention on a real hub: finished tasks past {@code hive.retention.finished-tasks-after} (2 s
 * here) are listed by the dry run, then a sweep archives their journal rows and removes them from
 * the lists and counts; their events stay and the journal verifies. A task that waits stays.
 */
class TaskRetentionTest {
  static ApiTestHub hub;
  static Path archives;

  @BeforeAll
  static void start() throws Exception {
    Path dataDir = Files.createTempDirectory("task-retention-test");
    archives = dataDir.resolve("archive");
    hub =
        ApiTestHub.start(
            "TaskRetentionTest",
            dataDir,
            "hive.retention { finished-tasks-after = 2s,"
                + " sweep-interval = 1h, archive-dir = \""
                + archives
                + "\" }\n"
                // checkpoints at once: the deleted events are under a signed one before they go
                + "hive.audit { checkpoint-interval = 300ms, checkpoint-lag = 0s }");
    agent(hub.hive, "keeper", "noop", cap("keep", 0.5));
  }

  @AfterAll
  static void stop() {
    hub.stop();
  }

  @Test
  void finishedTasksPastTheirPeriodAreArchivedAndLeaveTheListsAndTheJournal() throws Exception {
    List<String> finished = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      finished.add(
          submit(
              "{\"title\": \"old "
                  + i
                  + "\", \"required_capabilities\": [{\"name\": \"keep\", \"minimum_proficiency\": 0.1}]}"));
    }
    // nobody has this capability: it waits, and retention leaves it alone however old
    String waiting =
        submit(
            "{\"title\": \"waits\", \"required_capabilities\": [{\"name\": \"nobody\", \"minimum_proficiency\": 0.1}]}");
    for (String id : finished) {
      hub.http.getUntil(
          "/api/tasks/" + id, r -> r.json().path("status").asText().equals("completed"), id);
    }

    JsonNode plan =
        hub.http
            .getUntil(
                "/api/admin/retention",
                r -> r.json().path("due").asLong() == finished.size(),
                "the finished tasks to pass the retention period")
            .json();
    assertTrue(plan.path("enabled").asBoolean());
    assertEquals("PT2S", plan.path("finished_tasks_after").asText());
    assertEquals(Set.copyOf(finished), ids(plan.path("first")));
    assertEquals(403, hub.http.as(operatorKey()).get("/api/admin/retention").status());
    long completedBefore = completedCount();
    until(
        () -> verify(),
        r ->
            r.path("checkpoints").asLong() > 0
                && r.path("events_after_newest_checkpoint").asLong() == 0,
        "a signed checkpoint over every event so far");

    JsonNode swept = hub.http.post("/api/admin/retention/sweep", "").json();
    assertEquals(finished.size(), swept.path("retired").asInt(), swept.toString());

    // the archive holds their journal rows, hashes included
    Path archive = Path.of(swept.path("archive").asText());
    assertEquals(archives, archive.getParent());
    List<String> lines = Files.readAllLines(archive);
    ObjectMapper mapper = new ObjectMapper();
    Set<String> archived = new HashSet<>();
    for (String line : lines.subList(1, lines.size() - 1)) {
      JsonNode row = mapper.readTree(line).path("r");
      archived.add(row.path("persistence_id").asText().substring("Task|".length()));
      assertFalse(row.path("hive_hash").asText().isEmpty(), line);
    }
    assertEquals(Set.copyOf(finished), archived);
    assertEquals(finished.size() * 3, lines.size() - 2);

    // gone from the lists and the counts; the waiting task stays; their events stay
    JsonNode list = hub.http.get("/api/tasks?limit=100").json();
    assertEquals(Set.of(waiting), ids(list.path("items"), "id"));
    assertEquals(completedBefore - finished.size(), completedCount());
    for (String id : finished) {
      assertEquals("completed", hub.http.get("/api/tasks/" + id).json().path("status").asText());
    }
    assertEquals(0, hub.http.get("/api/admin/retention").json().path("due").asLong());

    // the journal is untouched: it verifies, with the checkpoint over the retired tasks' events
    JsonNode result = verify();
    assertTrue(result.path("intact").asBoolean(), result.toString());
    assertTrue(result.path("checkpoints").asLong() > 0, result.toString());
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

  private static long completedCount() throws Exception {
    return hub.http.get("/api/tasks?status=completed&limit=1").json().path("total").asLong();
  }

  private static String operatorKey() throws Exception {
    var key = hub.http.post("/api/keys", "{\"name\": \"ops\", \"role\": \"operator\"}");
    assertEquals(201, key.status(), key.body());
    return key.json().path("key").asText();
  }

  private static Set<String> ids(JsonNode array) {
    Set<String> out = new HashSet<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static Set<String> ids(JsonNode array, String field) {
    Set<String> out = new HashSet<>();
    array.forEach(n -> out.add(n.path(field).asText()));
    return out;
  }
}
