package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * People in the loop against a real hub: a diamond workflow with an approval between its draft and
 * its publish step (approved, rejected, timed out; a caller who may not decide gets 403, a second
 * decision 409), a workflow step that waits for a signal, and tasks that wait for their time
 * ({@code not_before}) or expire ({@code expires_at}) without running.
 */
class PeopleInTheLoopTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dataDir;
  static ApiTestHub hub;
  static HttpTestClient approver;
  static String approverLabel;
  static HttpTestClient viewer;
  static HttpTestClient otherOperator;

  @BeforeAll
  static void start() throws Exception {
    hub = ApiTestHub.start("people", dataDir, "");
    var agent =
        hub.http.post(
            "/api/agents",
            "{\"name\":\"writer\",\"type\":\"worker\",\"max_concurrency\":4,"
                + "\"capabilities\":[{\"name\":\"loop.write\",\"proficiency\":1.0}],"
                + "\"skill\":{\"name\":\"simulated\",\"config\":{\"min_duration_ms\":50,"
                + "\"max_duration_ms\":50}}}");
    assertEquals(201, agent.status(), agent.body());
    JsonNode made = key("approver", "operator");
    approver = hub.http.as(made.get("key").asText());
    approverLabel = "key:" + made.get("id").asText();
    viewer = hub.http.as(key("looker", "viewer").get("key").asText());
    otherOperator = hub.http.as(key("bystander", "operator").get("key").asText());
  }

  static JsonNode key(String name, String role) throws Exception {
    var r = hub.http.post("/api/keys", "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}");
    assertEquals(201, r.status(), r.body());
    return r.json();
  }

  @AfterAll
  static void stop() throws Exception {
    hub.stop();
  }

  static ObjectNode work(String name, String... dependsOn) {
    ObjectNode s = JSON.createObjectNode().put("name", name).put("title", "step " + name);
    s.put("input", name).put("max_attempts", 1);
    s.putArray("required_capabilities").addObject().put("name", "loop.write");
    ArrayNode deps = s.putArray("depends_on");
    for (String d : dependsOn) {
      deps.add(d);
    }
    return s;
  }

  static ObjectNode approval(String name, String dependsOn) {
    ObjectNode s = JSON.createObjectNode().put("name", name).put("kind", "approval");
    s.put("prompt", "Publish what {{deps." + dependsOn + "}} drafted?");
    s.putArray("approvers").add(approverLabel);
    s.putArray("depends_on").add(dependsOn);
    return s;
  }

  /** draft → (review: an approval, check) → publish. */
  static Map<String, String> diamond(String name, ObjectNode review) throws Exception {
    ObjectNode wf = JSON.createObjectNode().put("name", name);
    ArrayNode tasks = wf.putArray("tasks");
    tasks.add(work("draft"));
    tasks.add(review);
    tasks.add(work("check", "draft"));
    tasks.add(work("publish", "review", "check"));
    var created = hub.http.post("/api/workflows", wf.toString());
    assertEquals(201, created.status(), created.body());
    Map<String, String> ids = new HashMap<>();
    created
        .json()
        .get("tasks")
        .forEach(t -> ids.put(t.get("name").asText(), t.get("task_id").asText()));
    ids.put("workflow", created.json().get("id").asText());
    return ids;
  }

  static JsonNode awaitStatus(String taskId, String status) {
    return hub.http
        .getUntil(
            "/api/tasks/" + taskId,
            r -> r.status() == 200 && status.equals(r.json().get("status").asText()),
            "task " + taskId + " " + status)
        .json();
  }

  static JsonNode awaitWorkflowEnd(String workflowId) {
    return hub.http
        .getUntil(
            "/api/workflows/" + workflowId,
            r -> !r.json().get("status").asText().matches("running|cancelling"),
            "workflow " + workflowId + " to end")
        .json();
  }

  @Test
  void anApprovedReviewLetsPublishRunWithTheDecisionAndOnlyItsApproverMayDecideOnce()
      throws Exception {
    Map<String, String> ids = diamond("approve-path", approval("review", "draft"));
    JsonNode open = awaitStatus(ids.get("review"), "waiting_for_approval");
    assertEquals("approval", open.get("kind").asText());
    assertTrue(
        open.at("/approval/prompt").asText().startsWith("Publish what {"),
        "the draft's output is filled in: " + open);
    assertFalse(open.at("/approval/prompt").asText().contains("{{deps."), open.toString());
    assertEquals(0, open.get("attempts").asInt(), "no agent ran it");
    JsonNode explain = hub.http.get("/api/tasks/" + ids.get("review") + "/explain").json();
    assertEquals("waiting_for_approval", explain.path("final_status").asText(), explain.toString());
    assertTrue(
        explain.at("/dependencies/reason").asText().contains(approverLabel), explain.toString());
    // the approver's inbox has it; a viewer's has nothing to decide, though it may list all
    var mine =
        approver.getUntil(
            "/api/approvals?mine=true",
            r -> contains(r.json(), ids.get("review")),
            "the approval in the approver's inbox");
    assertEquals(200, mine.status());
    assertFalse(contains(viewer.get("/api/approvals?mine=true").json(), ids.get("review")));
    assertTrue(contains(viewer.get("/api/approvals").json(), ids.get("review")));
    String decision = "/api/tasks/" + ids.get("review") + "/decision";
    var byViewer = viewer.post(decision, "{\"decision\":\"approve\"}");
    assertEquals(403, byViewer.status(), byViewer.body());
    var byOther = otherOperator.post(decision, "{\"decision\":\"approve\"}");
    assertEquals(403, byOther.status(), "an operator not named may not decide: " + byOther.body());
    var byAdmin = hub.http.post(decision, "{\"decision\":\"approve\"}");
    assertEquals(403, byAdmin.status(), "nor may an admin: " + byAdmin.body());
    var bad = approver.post(decision, "{\"decision\":\"maybe\"}");
    assertEquals(400, bad.status());
    assertEquals("decision", bad.json().at("/error/field_errors/0/field").asText(), bad.body());
    var approved =
        approver.post(
            decision,
            "{\"decision\":\"approve\",\"comment\":\"ship it\",\"output\":{\"edited\":true}}");
    assertEquals(200, approved.status(), approved.body());
    assertEquals("completed", approved.json().get("status").asText());
    var again = approver.post(decision, "{\"decision\":\"reject\"}");
    assertEquals(409, again.status(), again.body());
    JsonNode wf = awaitWorkflowEnd(ids.get("workflow"));
    assertEquals("completed", wf.get("status").asText(), wf.toString());
    JsonNode publish = hub.http.get("/api/tasks/" + ids.get("publish")).json();
    JsonNode got = publish.at("/dependencies/" + ids.get("review"));
    assertEquals("approve", got.get("decision").asText(), publish.toString());
    assertEquals("ship it", got.get("comment").asText());
    assertEquals(approverLabel, got.get("decided_by").asText());
    assertTrue(got.at("/output/edited").asBoolean());
    String history = hub.http.get("/api/tasks/" + ids.get("review") + "/history").body();
    assertTrue(history.contains("TaskDecided") && history.contains(approverLabel), history);
  }

  static boolean contains(JsonNode list, String taskId) {
    for (JsonNode t : list.get("items")) {
      if (t.get("id").asText().equals(taskId)) {
        return true;
      }
    }
    return false;
  }

  @Test
  void aRejectedReviewFailsPublishWithRejected() throws Exception {
    Map<String, String> ids = diamond("reject-path", approval("review", "draft"));
    awaitStatus(ids.get("review"), "waiting_for_approval");
    var rejected =
        approver.post(
            "/api/tasks/" + ids.get("review") + "/decision",
            "{\"decision\":\"reject\",\"comment\":\"not yet\"}");
    assertEquals(200, rejected.status(), rejected.body());
    assertEquals("rejected", rejected.json().get("status").asText());
    JsonNode wf = awaitWorkflowEnd(ids.get("workflow"));
    assertEquals("failed", wf.get("status").asText());
    JsonNode publish = awaitStatus(ids.get("publish"), "failed");
    assertEquals(0, publish.get("attempts").asInt(), "publish never ran");
    String error = publish.at("/result/error").asText();
    assertTrue(
        error.startsWith("dependency_failed: review (") && error.endsWith("rejected"), error);
  }

  @Test
  void anApprovalNobodyDecidesTimesOutAsItsPolicySays() throws Exception {
    ObjectNode review =
        approval("review", "draft").put("timeout", "1s").put("on_timeout", "approve");
    Map<String, String> ids = diamond("timeout-path", review);
    JsonNode done = awaitStatus(ids.get("review"), "completed");
    assertEquals("hub:timeout", done.at("/result/output/decided_by").asText(), done.toString());
    assertEquals("completed", awaitWorkflowEnd(ids.get("workflow")).get("status").asText());
    var late =
        approver.post("/api/tasks/" + ids.get("review") + "/decision", "{\"decision\":\"reject\"}");
    assertEquals(409, late.status());
  }

  @Test
  void aWaitStepEndsWithItsSignalsPayload() throws Exception {
    ObjectNode wf = JSON.createObjectNode().put("name", "signalled");
    ArrayNode tasks = wf.putArray("tasks");
    tasks.addObject().put("name", "gate").put("kind", "wait").put("signal", "go");
    tasks.add(work("after", "gate"));
    var created = hub.http.post("/api/workflows", wf.toString());
    assertEquals(201, created.status(), created.body());
    String id = created.json().get("id").asText();
    String gate = created.json().at("/tasks/0/task_id").asText();
    awaitStatus(gate, "waiting");
    var unknown = hub.http.post("/api/workflows/" + id + "/signals/stop", "{}");
    assertEquals(404, unknown.status(), unknown.body());
    var sent = hub.http.post("/api/workflows/" + id + "/signals/go", "{\"colour\":\"green\"}");
    assertEquals(200, sent.status(), sent.body());
    assertEquals(gate, sent.json().at("/signalled/0").asText());
    assertEquals("completed", awaitWorkflowEnd(id).get("status").asText());
    assertEquals(
        "green", hub.http.get("/api/tasks/" + gate).json().at("/result/output/colour").asText());
    var twice = hub.http.post("/api/workflows/" + id + "/signals/go", "{}");
    assertEquals(409, twice.status(), twice.body());
  }

  @Test
  void aTaskWithNotBeforeIsScheduledThenRunsOnTime() throws Exception {
    Instant at = Instant.now().plusSeconds(3);
    var r =
        hub.http.post(
            "/api/tasks",
            "{\"title\":\"later\",\"not_before\":\""
                + at
                + "\","
                + "\"required_capabilities\":[{\"name\":\"loop.write\"}]}");
    assertEquals(201, r.status(), r.body());
    assertEquals("scheduled", r.json().get("status").asText());
    String id = r.json().get("id").asText();
    JsonNode done = awaitStatus(id, "completed");
    Instant started = Instant.parse(done.get("started_at").asText());
    long lateMs = Duration.between(at, started).toMillis();
    assertTrue(lateMs >= 0 && lateMs <= 1000, "started " + lateMs + " ms after not_before");
  }

  @Test
  void aWakeUpYearsAheadIsKeptAndEverythingElseStillRuns() throws Exception {
    // further ahead than any timer of Akka's scheduler may be set: the matcher looks in a day
    var far =
        hub.http.post(
            "/api/tasks",
            "{\"title\":\"years from now\",\"not_before\":\"2031-01-01T00:00:00Z\","
                + "\"required_capabilities\":[{\"name\":\"loop.write\"}]}");
    assertEquals(201, far.status(), far.body());
    var now =
        hub.http.post(
            "/api/tasks",
            "{\"title\":\"right now\",\"required_capabilities\":[{\"name\":\"loop.write\"}]}");
    assertEquals(201, now.status(), now.body());
    awaitStatus(now.json().get("id").asText(), "completed");
    assertEquals(
        "scheduled",
        hub.http.get("/api/tasks/" + far.json().get("id").asText()).json().get("status").asText());
  }

  @Test
  void aDecisionsOutputIsBoundedLikeAnInlineOutput() throws Exception {
    var r =
        hub.http.post(
            "/api/tasks",
            "{\"kind\":\"approval\",\"prompt\":\"big?\",\"approvers\":[\"role:admin\"]}");
    assertEquals(201, r.status(), r.body());
    String id = r.json().get("id").asText();
    String big = "x".repeat(70 * 1024);
    var refused =
        hub.http.post(
            "/api/tasks/" + id + "/decision",
            "{\"decision\":\"approve\",\"output\":{\"text\":\"" + big + "\"}}");
    assertEquals(400, refused.status(), refused.body().substring(0, 200));
    assertEquals("output", refused.json().at("/error/field_errors/0/field").asText());
    assertEquals(
        "waiting_for_approval", hub.http.get("/api/tasks/" + id).json().get("status").asText());
    var unknown = hub.http.post("/api/tasks/no-such-task/decision", "{\"decision\":\"approve\"}");
    assertEquals(404, unknown.status(), unknown.body());
  }

  @Test
  void aTaskNobodyStartsBeforeExpiresAtExpiresAndNeverRuns() throws Exception {
    Instant at = Instant.now().plusSeconds(1);
    var r =
        hub.http.post(
            "/api/tasks",
            "{\"title\":\"nobody can\",\"expires_at\":\""
                + at
                + "\","
                + "\"required_capabilities\":[{\"name\":\"no.such.skill\"}]}");
    assertEquals(201, r.status(), r.body());
    JsonNode expired = awaitStatus(r.json().get("id").asText(), "expired");
    assertEquals(0, expired.get("attempts").asInt());
    assertTrue(expired.at("/result/error").asText().startsWith("expired"), expired.toString());
    var listed =
        hub.http.getUntil(
            "/api/tasks?status=expired",
            x -> x.status() == 200 && x.body().contains(r.json().get("id").asText()),
            "the expired task listed");
    assertEquals(200, listed.status());
  }

  @Test
  void badGateFieldsAreRefusedNamingTheField() throws Exception {
    var noApprovers = hub.http.post("/api/tasks", "{\"kind\":\"approval\",\"prompt\":\"ok?\"}");
    assertEquals(400, noApprovers.status());
    assertTrue(noApprovers.body().contains("\"approvers\""), noApprovers.body());
    var badTime = hub.http.post("/api/tasks", "{\"title\":\"x\",\"not_before\":\"tomorrow\"}");
    assertEquals(400, badTime.status());
    assertTrue(badTime.body().contains("\"not_before\""), badTime.body());
    var badKind = hub.http.post("/api/tasks", "{\"title\":\"x\",\"kind\":\"vote\"}");
    assertEquals(400, badKind.status());
    assertTrue(badKind.body().contains("\"kind\""), badKind.body());
    var badRole =
        hub.http.post("/api/tasks", "{\"kind\":\"approval\",\"approvers\":[\"role:boss\"]}");
    assertEquals(400, badRole.status());
    assertTrue(badRole.body().contains("approvers[0]"), badRole.body());
    var huge =
        hub.http.post(
            "/api/tasks",
            "{\"kind\":\"approval\",\"approvers\":[\"x\"],\"timeout\":\"PT9223372036854775807S\"}");
    assertEquals(400, huge.status(), huge.body());
    assertTrue(huge.body().contains("\"timeout\""), huge.body());
    var stray = hub.http.post("/api/tasks", "{\"title\":\"x\",\"signal\":\"go\"}");
    assertEquals(400, stray.status());
    assertTrue(stray.body().contains("\"signal\""), stray.body());
  }
}
