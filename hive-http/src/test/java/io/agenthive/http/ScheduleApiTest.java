package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.access.Principal;
import io.agenthive.hive.Tasks;
import io.agenthive.schedule.SlotKeys;
import io.agenthive.task.Priority;
import io.agenthive.task.TaskSpec;
import io.agenthive.testing.Eventually;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/schedules} on a real hub: creating with cron and with every, each bad field named in
 * a 400, a duplicate name 409, next fire times in the schedule's zone, pause, resume, trigger,
 * PATCH, delete, the slots' tasks under their deterministic ids, and who may do what.
 */
class ScheduleApiTest {
  static final String TASK = "{\"title\": \"nightly report\", \"type\": \"report\"}";
  @TempDir static Path dataDir;
  static ApiTestHub hub;

  @BeforeAll
  static void start() throws Exception {
    hub = ApiTestHub.start("ScheduleApiTest", dataDir, "");
  }

  @AfterAll
  static void stop() {
    hub.stop();
  }

  static String body(String name, String when) {
    return "{\"name\": \"" + name + "\", " + when + ", \"task\": " + TASK + "}";
  }

  static List<String> fields(HttpTestClient.Reply r) {
    List<String> out = new ArrayList<>();
    r.json().at("/error/field_errors").forEach(e -> out.add(e.get("field").asText()));
    return out;
  }

  void refused(String json, String field) throws Exception {
    var r = hub.http.post("/api/schedules", json);
    assertEquals(400, r.status(), r.body());
    assertTrue(fields(r).contains(field), field + " named in " + r.body());
  }

  @Test
  void aCronScheduleInBerlinFiresAtNineLocalEveryDay() throws Exception {
    var r =
        hub.http.post(
            "/api/schedules",
            body("berlin-nine", "\"cron\": \"0 9 * * *\", \"timezone\": \"Europe/Berlin\""));
    assertEquals(201, r.status(), r.body());
    JsonNode next = r.json().get("next_fire_times");
    assertEquals(5, next.size(), r.body());
    Instant before = Instant.EPOCH;
    for (JsonNode t : next) {
      Instant at = Instant.parse(t.asText());
      assertTrue(at.isAfter(before), next.toString());
      var local = at.atZone(ZoneId.of("Europe/Berlin"));
      assertEquals(9, local.getHour(), next.toString());
      assertEquals(0, local.getMinute(), next.toString());
      before = at;
    }
    assertEquals("/api/schedules/berlin-nine", r.header("Location"));
    var listed = hub.http.get("/api/schedules").json().get("items");
    boolean found = false;
    for (JsonNode s : listed) {
      found |= s.get("name").asText().equals("berlin-nine") && s.get("next_fire_times").size() == 5;
    }
    assertTrue(found, listed.toString());
  }

  @Test
  void eachBadFieldIsNamed() throws Exception {
    refused(body("bad-cron", "\"cron\": \"61 * * * *\""), "cron");
    refused(body("bad-cron-2", "\"cron\": \"every day\""), "cron");
    refused(
        body("bad-zone", "\"cron\": \"0 9 * * *\", \"timezone\": \"Mars/Olympus\""), "timezone");
    refused(body("bad-every", "\"every\": \"500ms\""), "every");
    refused(body("bad-every-2", "\"every\": \"fast\""), "every");
    refused(body("both", "\"cron\": \"0 9 * * *\", \"every\": \"5m\""), "cron");
    refused("{\"name\": \"neither\", \"task\": " + TASK + "}", "cron");
    refused("{\"name\": \"no-task\", \"every\": \"5m\"}", "task");
    refused(body("Bad Name!", "\"every\": \"5m\""), "name");
    refused(body("overlap", "\"every\": \"5m\", \"overlap\": \"sometimes\""), "overlap");
    refused(body("catch", "\"every\": \"5m\", \"catch_up\": \"many\""), "catch_up");
    refused(
        "{\"name\": \"bad-task\", \"every\": \"5m\", \"task\": {\"title\": \"\"}}", "task.title");
    refused(
        "{\"name\": \"keyed\", \"every\": \"5m\", \"task\": {\"title\": \"t\","
            + " \"idempotency_key\": \"k\"}}",
        "task.idempotency_key");
    refused(
        "{\"name\": \"wf\", \"every\": \"5m\", \"workflow\": {\"name\": \"w\"}, \"task\": "
            + TASK
            + "}",
        "workflow");
  }

  @Test
  void aSecondScheduleWithTheSameNameIsAConflict() throws Exception {
    assertEquals(201, hub.http.post("/api/schedules", body("twice", "\"every\": \"1h\"")).status());
    var again = hub.http.post("/api/schedules", body("twice", "\"every\": \"5m\""));
    assertEquals(409, again.status(), again.body());
    // the keeper's events are in the live event stream, under their own kind
    String feed =
        Eventually.eventually(
            () -> {
              String f =
                  hub.http.sse(
                      "/api/events?since=0&entity_kind=schedules", java.time.Duration.ofSeconds(1));
              return f.contains("ScheduleCreated") && f.contains("twice") ? f : null;
            },
            "the schedule's creation in /api/events");
    assertTrue(feed.contains("\"entity_kind\":\"schedules\""), feed);
  }

  @Test
  void anEverySecondScheduleFiresEachSlotUnderItsKeyAndCanBePausedTriggeredAndDeleted()
      throws Exception {
    var made =
        hub.http.post(
            "/api/schedules",
            body("ticker", "\"every\": \"1s\", \"overlap\": \"queue\", \"catch_up\": \"all\""));
    assertEquals(201, made.status(), made.body());
    assertEquals("1s", made.json().get("every").asText());
    JsonNode fired =
        hub.http
            .getUntil(
                "/api/schedules/ticker/history",
                r -> r.status() == 200 && r.json().get("items").size() >= 2,
                "two slots fired")
            .json()
            .get("items");
    JsonNode first = fired.get(0);
    assertEquals("fired", first.get("outcome").asText(), fired.toString());
    Instant slot = Instant.parse(first.get("slot").asText());
    // the task id is the one the slot's key names for the hub: a second submission finds it
    TaskSpec keyed =
        SlotKeys.keyed(
            new TaskSpec(
                "t", "", "general", Priority.MEDIUM, List.of(), null, null, null, null, null),
            SlotKeys.scheduled("ticker", slot));
    assertEquals(Tasks.idFor(keyed, Principal.HUB), first.get("task_id").asText());
    var task = hub.http.get("/api/tasks/" + first.get("task_id").asText());
    assertEquals(200, task.status(), task.body());
    assertEquals("nightly report", task.json().get("title").asText());

    var paused = hub.http.post("/api/schedules/ticker/pause", "{}");
    assertEquals(200, paused.status(), paused.body());
    assertTrue(paused.json().get("paused").asBoolean());
    assertEquals(0, paused.json().get("next_fire_times").size());
    var triggered = hub.http.post("/api/schedules/ticker/trigger", "{}");
    assertEquals(201, triggered.status(), triggered.body());
    assertEquals("manual", triggered.json().get("outcome").asText());
    String manualTask = triggered.json().get("task_id").asText();
    assertEquals(200, hub.http.get("/api/tasks/" + manualTask).status());
    var resumed = hub.http.post("/api/schedules/ticker/resume", "{}");
    assertEquals(200, resumed.status(), resumed.body());
    assertEquals(5, resumed.json().get("next_fire_times").size());

    var patched = hub.http.patch("/api/schedules/ticker", "{\"every\": \"1h\"}");
    assertEquals(200, patched.status(), patched.body());
    assertEquals("1h", patched.json().get("every").asText());
    assertEquals("all", patched.json().get("catch_up").asText());
    var read = hub.http.get("/api/schedules/ticker");
    boolean manualInHistory = false;
    for (JsonNode h : read.json().get("history")) {
      manualInHistory |= h.get("task_id").asText().equals(manualTask);
    }
    assertTrue(manualInHistory, read.body());

    assertEquals(200, hub.http.method("DELETE", "/api/schedules/ticker").status());
    assertEquals(404, hub.http.get("/api/schedules/ticker").status());
    String metrics = hub.http.get("/metrics").body();
    assertTrue(metrics.contains("hive_schedule_slots_fired_total{kind=\"manual\"}"), metrics);
    assertTrue(metrics.contains("hive_schedule_lag_seconds_bucket"), metrics);
  }

  @Test
  void aWorkflowTemplateMakesOneWorkflowPerSlot() throws Exception {
    String workflow =
        "{\"name\": \"nightly\", \"tasks\": [{\"name\": \"a\", \"title\": \"first\"},"
            + " {\"name\": \"b\", \"title\": \"second\", \"depends_on\": [\"a\"]}]}";
    var r =
        hub.http.post(
            "/api/schedules",
            "{\"name\": \"wf-nightly\", \"every\": \"1h\", \"workflow\": " + workflow + "}");
    assertEquals(201, r.status(), r.body());
    assertEquals("nightly", r.json().at("/workflow/name").asText(), r.body());
    var triggered = hub.http.post("/api/schedules/wf-nightly/trigger", "{}");
    assertEquals(201, triggered.status(), triggered.body());
    String id = triggered.json().get("task_id").asText();
    var made = hub.http.get("/api/workflows/" + id);
    assertEquals(200, made.status(), "the slot made a workflow: " + made.body());
    assertEquals(2, made.json().get("tasks").size(), made.body());
    refused(
        "{\"name\": \"wf-bad\", \"every\": \"1h\", \"workflow\": {\"name\": \"w\","
            + " \"tasks\": [{\"name\": \"a\", \"title\": \"\"}]}}",
        "workflow.tasks[0].title");
  }

  @Test
  void aViewerReadsSchedulesButMayNotChangeThem() throws Exception {
    var key = hub.http.post("/api/keys", "{\"name\": \"sched-viewer\", \"role\": \"viewer\"}");
    assertEquals(201, key.status(), key.body());
    HttpTestClient viewer = hub.http.as(key.json().get("key").asText());
    Eventually.eventually(
        () -> viewer.get("/api/schedules").status() == 200 ? true : null, "the key accepted");
    var r = viewer.post("/api/schedules", body("by-viewer", "\"every\": \"5m\""));
    assertEquals(403, r.status(), r.body());
    assertNotNull(r.json().get("error"));
    assertEquals(404, viewer.get("/api/schedules/by-viewer").status());
  }
}
