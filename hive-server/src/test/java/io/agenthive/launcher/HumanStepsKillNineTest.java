package io.agenthive.launcher;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.testing.Eventually;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What waits for a person or a clock survives {@code kill -9}: the real launcher is killed with
 * SIGKILL while an approval and a workflow's approval step are open, a task waits for its {@code
 * not_before} and another for its {@code expires_at}; after a start on the same database the
 * approval can be decided, the scheduled task runs once, and the other expires without running.
 * Their wake-up times are rebuilt from the journal: nothing remembered them in memory across the
 * kill.
 */
class HumanStepsKillNineTest {
  static final String AGENT =
      "{\"name\":\"steady\",\"type\":\"worker\","
          + "\"capabilities\":[{\"name\":\"later.work\",\"proficiency\":1.0}],"
          + "\"skill\":{\"name\":\"simulated\",\"config\":{\"min_duration_ms\":50,"
          + "\"max_duration_ms\":50}}}";

  @TempDir Path dir;

  @Test
  void anOpenApprovalAScheduledTaskAndAnExpiringOneSurviveAKill() throws Exception {
    try (HubProcess hub = new HubProcess(dir, "512m", Map.of())) {
      hub.start();
      hub.awaitReady();
      assertEquals(201, hub.call("POST", "/api/agents", AGENT).status());
      String approval =
          created(hub, "{\"kind\":\"approval\",\"prompt\":\"Go?\",\"approvers\":[\"role:admin\"]}");
      Instant notBefore = Instant.now().plusSeconds(8);
      String later =
          created(
              hub,
              "{\"title\":\"later\",\"not_before\":\""
                  + notBefore
                  + "\",\"required_capabilities\":[{\"name\":\"later.work\"}]}");
      Instant expiresAt = Instant.now().plusSeconds(8);
      String expiring =
          created(
              hub,
              "{\"title\":\"nobody\",\"expires_at\":\""
                  + expiresAt
                  + "\",\"required_capabilities\":[{\"name\":\"no.such.work\"}]}");
      HubProcess.Reply wf =
          hub.call(
              "POST",
              "/api/workflows",
              "{\"name\":\"reviewed\",\"tasks\":["
                  + "{\"name\":\"draft\",\"title\":\"draft\","
                  + "\"required_capabilities\":[{\"name\":\"later.work\"}]},"
                  + "{\"name\":\"review\",\"kind\":\"approval\",\"depends_on\":[\"draft\"],"
                  + "\"prompt\":\"Publish {{deps.draft}}?\",\"approvers\":[\"role:admin\"]},"
                  + "{\"name\":\"publish\",\"title\":\"publish\",\"depends_on\":[\"review\"],"
                  + "\"required_capabilities\":[{\"name\":\"later.work\"}]}]}");
      assertEquals(201, wf.status(), wf.body());
      String workflow = wf.json().get("id").asText();
      String review = wf.json().at("/tasks/1/task_id").asText();
      awaitStatus(hub, approval, "waiting_for_approval");
      awaitStatus(hub, review, "waiting_for_approval");
      assertEquals("scheduled", hub.get("/api/tasks/" + later).get("status").asText());

      hub.close(); // SIGKILL: no shutdown hooks, nothing flushed
      hub.start();
      hub.awaitReady();

      HubProcess.Reply decided =
          hub.call(
              "POST",
              "/api/tasks/" + approval + "/decision",
              "{\"decision\":\"approve\",\"comment\":\"after the crash\"}");
      assertEquals(200, decided.status(), decided.body());
      assertEquals("completed", decided.json().get("status").asText());
      HubProcess.Reply reviewed =
          hub.call("POST", "/api/tasks/" + review + "/decision", "{\"decision\":\"approve\"}");
      assertEquals(200, reviewed.status(), reviewed.body());
      JsonNode published =
          Eventually.eventually(
              () -> {
                JsonNode w = hub.get("/api/workflows/" + workflow);
                return w.get("status").asText().equals("running") ? null : w;
              },
              "the workflow to end after the approval",
              Duration.ofSeconds(60));
      assertEquals("completed", published.get("status").asText(), published.toString());
      JsonNode ran = awaitStatus(hub, later, "completed");
      assertFalse(
          Instant.parse(ran.get("started_at").asText()).isBefore(notBefore),
          "it did not start before its not_before: " + ran);
      assertEquals(1, ran.get("attempts").asInt());
      JsonNode expired = awaitStatus(hub, expiring, "expired");
      assertEquals(0, expired.get("attempts").asInt(), "it never ran");
      assertEquals(1, events(hub, later, "TaskCompleted"));
      assertEquals(1, events(hub, approval, "TaskDecided"));
      assertEquals(1, events(hub, review, "TaskDecided"));
      assertEquals(1, events(hub, expiring, "TaskExpired"));
    }
  }

  static String created(HubProcess hub, String body) throws Exception {
    HubProcess.Reply r = hub.call("POST", "/api/tasks", body);
    assertEquals(201, r.status(), r.body());
    return r.json().get("id").asText();
  }

  static JsonNode awaitStatus(HubProcess hub, String id, String status) {
    return Eventually.eventually(
        () -> {
          JsonNode t = hub.get("/api/tasks/" + id);
          return status.equals(t.get("status").asText()) ? t : null;
        },
        "task " + id + " " + status,
        Duration.ofSeconds(60));
  }

  static int events(HubProcess hub, String id, String type) throws Exception {
    int n = 0;
    for (JsonNode e : hub.get("/api/tasks/" + id + "/history").get("events")) {
      if (type.equals(e.get("type").asText())) {
        n++;
      }
    }
    return n;
  }
}
