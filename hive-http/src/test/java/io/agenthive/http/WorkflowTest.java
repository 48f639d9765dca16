package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agenthive.skill.ProviderStandIn;
import io.agenthive.skill.ProviderStandIn.Reply;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workflows over the API against a real hub: an {@code llm} agent whose provider (a local
 * OpenAI-compatible stand-in) answers with the prompt it was sent, so each step's answer shows what
 * reached it from its dependencies. A prompt containing FAIL is refused (a final 400).
 */
class WorkflowTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dataDir;
  static ApiTestHub hub;
  static ProviderStandIn provider;

  @BeforeAll
  static void start() throws Exception {
    hub = ApiTestHub.start("workflows", dataDir, "");
    provider =
        new ProviderStandIn(hub.kit.system(), Reply.status(500, "{\"error\":\"unscripted\"}"));
    provider.answerWith(WorkflowTest::echo);
    ObjectNode agent = JSON.createObjectNode().put("name", "writer").put("type", "worker");
    agent.putArray("capabilities").addObject().put("name", "wf.write").put("proficiency", 0.9);
    ObjectNode skill = agent.putObject("skill").put("name", "llm");
    skill
        .putObject("config")
        .put("base_url", provider.url("/v1"))
        .put("model", "stand-in-1")
        .put("api_key_env", "HOME")
        .put("prompt_template", "{{input}}")
        .put("timeout_ms", 5000);
    agent.put("max_concurrency", 2);
    var r = hub.http.post("/api/agents", agent.toString());
    assertEquals(201, r.status(), r.body());
  }

  @AfterAll
  static void stop() throws Exception {
    provider.close();
    hub.stop();
  }

  /** The stand-in's answer: the last message's text, as an OpenAI chat completion. */
  static Reply echo(String body) {
    try {
      JsonNode messages = JSON.readTree(body).get("messages");
      String prompt = messages.get(messages.size() - 1).get("content").asText();
      if (prompt.contains("FAIL")) {
        return Reply.status(400, "{\"error\":{\"message\":\"refused\"}}");
      }
      ObjectNode c = JSON.createObjectNode().put("id", "c1").put("object", "chat.completion");
      c.put("created", 1763800000).put("model", "stand-in-1");
      ObjectNode choice = c.putArray("choices").addObject().put("index", 0);
      choice.putObject("message").put("role", "assistant").put("content", prompt);
      choice.put("finish_reason", "stop");
      c.putObject("usage")
          .put("prompt_tokens", 10)
          .put("completion_tokens", 5)
          .put("total_tokens", 15);
      return Reply.ok(c.toString());
    } catch (Exception e) {
      return Reply.status(500, "{\"error\":\"" + e.getMessage() + "\"}");
    }
  }

  static ObjectNode step(String name, String prompt, String... dependsOn) {
    ObjectNode s = JSON.createObjectNode().put("name", name).put("title", "step " + name);
    s.put("input", prompt).put("max_attempts", 1);
    s.putArray("required_capabilities").addObject().put("name", "wf.write");
    ArrayNode deps = s.putArray("depends_on");
    for (String d : dependsOn) {
      deps.add(d);
    }
    return s;
  }

  static HttpTestClient.Reply submit(String name, ObjectNode... steps) throws Exception {
    ObjectNode wf = JSON.createObjectNode().put("name", name);
    ArrayNode tasks = wf.putArray("tasks");
    for (ObjectNode s : steps) {
      tasks.add(s);
    }
    return hub.http.post("/api/workflows", wf.toString());
  }

  static JsonNode awaitEnd(String workflowId) {
    return hub.http
        .getUntil(
            "/api/workflows/" + workflowId,
            r -> !r.json().get("status").asText().matches("running|cancelling"),
            "workflow " + workflowId + " to end")
        .json();
  }

  static Map<String, JsonNode> steps(JsonNode workflow) {
    Map<String, JsonNode> out = new HashMap<>();
    workflow.get("tasks").forEach(t -> out.put(t.get("name").asText(), t));
    return out;
  }

  static JsonNode task(String id) throws Exception {
    return hub.http.get("/api/tasks/" + id).json();
  }

  @Test
  void aDiamondRunsInOrderAndTheLastStepSeesBothOutputs() throws Exception {
    var created =
        submit(
            "diamond",
            step("a", "alpha"),
            step("b", "B saw {{deps.a.answer}}", "a"),
            step("c", "C saw {{deps.a.answer}}", "a"),
            step("d", "D joins [{{deps.b.answer}}] and [{{deps.c.answer}}]", "b", "c"));
    assertEquals(201, created.status(), created.body());
    JsonNode wf = awaitEnd(created.json().get("id").asText());
    assertEquals("completed", wf.get("status").asText(), wf.toString());
    Map<String, JsonNode> s = steps(wf);
    JsonNode a = task(s.get("a").get("task_id").asText());
    JsonNode b = task(s.get("b").get("task_id").asText());
    JsonNode c = task(s.get("c").get("task_id").asText());
    JsonNode d = task(s.get("d").get("task_id").asText());
    assertEquals("D joins [B saw alpha] and [C saw alpha]", d.at("/result/output/answer").asText());
    // D got B's and C's whole outputs as its dependencies, by task id
    assertEquals("B saw alpha", d.at("/dependencies/" + b.get("id").asText() + "/answer").asText());
    assertEquals("C saw alpha", d.at("/dependencies/" + c.get("id").asText() + "/answer").asText());
    // the order: nothing started before what it depends on had completed
    assertTrue(after(b, a) && after(c, a) && after(d, b) && after(d, c), wf.toString());
    List<String> path = new ArrayList<>();
    wf.at("/critical_path/tasks").forEach(n -> path.add(n.asText()));
    assertEquals("a", path.get(0));
    assertEquals("d", path.get(path.size() - 1));
    assertEquals(3, path.size(), "a, b or c, d: " + path);
    var history = hub.http.get("/api/tasks/" + d.get("id").asText() + "/history").json();
    assertTrue(history.toString().contains("TaskUnblocked"), history.toString());
    var explain = hub.http.get("/api/tasks/" + d.get("id").asText() + "/explain").json();
    assertEquals("dependencies completed", explain.at("/dependencies/reason").asText());
    var own = hub.http.get("/api/workflows/" + wf.get("id").asText() + "/history").json();
    assertEquals("workflow", own.get("entity_kind").asText());
    List<String> types = new ArrayList<>();
    own.get("events").forEach(e -> types.add(e.get("type").asText()));
    assertEquals(List.of("WorkflowSubmitted", "WorkflowEnded"), types);
    String audit = hub.http.get("/api/audit/events?entity_kind=workflow").body();
    assertTrue(audit.contains(wf.get("id").asText()), "the audit trail holds the workflow");
  }

  static boolean after(JsonNode later, JsonNode earlier) {
    return java.time.Instant.parse(later.get("started_at").asText())
        .isAfter(java.time.Instant.parse(earlier.get("completed_at").asText()).minusMillis(1));
  }

  @Test
  void aFailingStepFailsItsDependentsWithDependencyFailedAndTheOtherBranchCompletes()
      throws Exception {
    var created =
        submit(
            "failing-branch",
            step("a", "alpha"),
            step("b", "FAIL on purpose", "a"),
            step("c", "C saw {{deps.a.answer}}", "a"),
            step("d", "D joins {{deps.b.answer}} {{deps.c.answer}}", "b", "c"));
    assertEquals(201, created.status(), created.body());
    JsonNode wf = awaitEnd(created.json().get("id").asText());
    assertEquals("failed", wf.get("status").asText());
    Map<String, JsonNode> s = steps(wf);
    assertEquals("failed", s.get("b").get("status").asText());
    assertEquals("completed", s.get("c").get("status").asText());
    JsonNode d = task(s.get("d").get("task_id").asText());
    assertEquals("failed", d.get("status").asText());
    assertEquals(0, d.get("attempts").asInt(), "d never ran");
    String error = d.at("/result/error").asText();
    assertTrue(error.startsWith("dependency_failed: b ("), error);
    var explain = hub.http.get("/api/tasks/" + d.get("id").asText() + "/explain").json();
    assertEquals(
        s.get("b").get("task_id").asText(), explain.at("/dependencies/failed_by").asText());
    var retry = hub.http.post("/api/tasks/" + d.get("id").asText() + "/retry", "");
    assertEquals(
        409, retry.status(), "a step that never ran is not retried alone: " + retry.body());
  }

  @Test
  void onDependencyFailureRunLetsTheStepRunAnyway() throws Exception {
    ObjectNode cleanup = step("cleanup", "cleaning up", "broken");
    cleanup.put("on_dependency_failure", "run");
    var created = submit("cleanup", step("broken", "FAIL now"), cleanup);
    assertEquals(201, created.status(), created.body());
    JsonNode wf = awaitEnd(created.json().get("id").asText());
    assertEquals("completed", steps(wf).get("cleanup").get("status").asText(), wf.toString());
  }

  @Test
  void aCycleAndAnUnknownDependencyAre400sNamingThem() throws Exception {
    var cycle = submit("loop", step("x", "x", "z"), step("y", "y", "x"), step("z", "z", "y"));
    assertEquals(400, cycle.status(), cycle.body());
    String message = cycle.json().at("/error/field_errors/0/message").asText(cycle.body());
    assertTrue(message.contains("cycle") && message.contains("x -> y -> z -> x"), message);
    var unknown = submit("dangling", step("p", "p", "no-such-step"));
    assertEquals(400, unknown.status(), unknown.body());
    assertTrue(unknown.body().contains("no-such-step"), unknown.body());
    var single =
        hub.http.post(
            "/api/tasks", "{\"title\":\"t\",\"depends_on\":[\"not-a-task\"],\"input\":\"x\"}");
    assertEquals(400, single.status(), single.body());
    assertTrue(single.body().contains("depends_on") && single.body().contains("not-a-task"));
    var bad = hub.http.post("/api/tasks", "{\"title\":\"t\",\"on_dependency_failure\":\"maybe\"}");
    assertEquals(400, bad.status());
    assertTrue(bad.body().contains("on_dependency_failure"), bad.body());
  }

  @Test
  void aSingleTaskWaitsForAnExistingOneAndGetsItsOutput() throws Exception {
    var first =
        hub.http.post(
            "/api/tasks",
            "{\"title\":\"first\",\"input\":\"one\",\"max_attempts\":1,"
                + "\"required_capabilities\":[{\"name\":\"wf.write\"}]}");
    assertEquals(201, first.status(), first.body());
    String firstId = first.json().get("id").asText();
    var second =
        hub.http.post(
            "/api/tasks",
            "{\"title\":\"second\",\"input\":\"after {{deps."
                + firstId
                + ".answer}}\",\"depends_on\":[\""
                + firstId
                + "\"],\"required_capabilities\":[{\"name\":\"wf.write\"}]}");
    assertEquals(201, second.status(), second.body());
    String id = second.json().get("id").asText();
    JsonNode done =
        hub.http
            .getUntil(
                "/api/tasks/" + id,
                r -> r.json().get("status").asText().equals("completed"),
                "the waiting task to complete")
            .json();
    assertEquals("after one", done.at("/result/output/answer").asText());
  }

  @Test
  void cancellingAWorkflowCancelsEveryStepThatHasNotEnded() throws Exception {
    // nobody has this capability, so the first step stays pending and the rest blocked
    ObjectNode first = step("wait", "never runs");
    first.putArray("required_capabilities").addObject().put("name", "wf.nobody");
    var created = submit("doomed", first, step("next", "n", "wait"), step("last", "l", "next"));
    assertEquals(201, created.status(), created.body());
    String id = created.json().get("id").asText();
    Map<String, JsonNode> s = steps(created.json());
    assertEquals("blocked", task(s.get("last").get("task_id").asText()).get("status").asText());
    var cancelled = hub.http.post("/api/workflows/" + id + "/cancel", "");
    assertEquals(200, cancelled.status(), cancelled.body());
    JsonNode wf = awaitEnd(id);
    assertEquals("cancelled", wf.get("status").asText());
    wf.get("tasks")
        .forEach(t -> assertEquals("cancelled", t.get("status").asText(), wf.toString()));
    assertEquals(409, hub.http.post("/api/workflows/" + id + "/cancel", "").status());
    assertEquals(404, hub.http.get("/api/workflows/wf-unknown").status());
  }

  @Test
  void theListShowsWorkflowsNewestFirstWithTheirStepsByStatus() throws Exception {
    var older = submit("listed-older", step("one", "o"));
    var newer = submit("listed-newer", step("a", "a"), step("b", "b", "a"));
    assertEquals(201, newer.status(), newer.body());
    String olderId = older.json().get("id").asText();
    String newerId = newer.json().get("id").asText();
    awaitEnd(olderId);
    awaitEnd(newerId);
    JsonNode list =
        hub.http
            .getUntil(
                "/api/workflows",
                r ->
                    completedSteps(r.json(), olderId) == 1
                        && completedSteps(r.json(), newerId) == 2,
                "both workflows listed with every step completed")
            .json();
    List<String> ids = new ArrayList<>();
    list.get("items").forEach(w -> ids.add(w.get("id").asText()));
    assertTrue(ids.indexOf(newerId) < ids.indexOf(olderId), "newest first: " + ids);
    JsonNode listed = list.get("items").get(ids.indexOf(newerId));
    assertEquals("listed-newer", listed.get("name").asText());
    assertEquals("completed", listed.get("status").asText());
    assertEquals(2, listed.get("steps").asInt());
    assertFalse(listed.get("created_by").asText().isEmpty(), listed.toString());

    JsonNode first = hub.http.get("/api/workflows?limit=1").json();
    assertEquals(List.of(ids.get(0)), List.of(first.at("/items/0/id").asText()));
    String cursor = first.get("next_cursor").asText();
    JsonNode second = hub.http.get("/api/workflows?limit=1&cursor=" + cursor).json();
    assertEquals(ids.get(1), second.at("/items/0/id").asText());
    var tooMany = hub.http.get("/api/workflows?limit=101");
    assertEquals(400, tooMany.status(), tooMany.body());
    assertEquals("limit", tooMany.json().at("/error/field_errors/0/field").asText());
    var unknown = hub.http.get("/api/workflows?status=running");
    assertEquals(400, unknown.status(), unknown.body());
    assertTrue(unknown.body().contains("status"), unknown.body());
  }

  static int completedSteps(JsonNode list, String workflowId) {
    for (JsonNode w : list.get("items")) {
      if (w.get("id").asText().equals(workflowId)) {
        return w.at("/counts/completed").asInt();
      }
    }
    return -1;
  }
}
