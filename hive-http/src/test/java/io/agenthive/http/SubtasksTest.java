package io.agenthive.http;

import static io.agenthive.testing.Eventually.until;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agenthive.skill.ProviderStandIn;
import io.agenthive.skill.ProviderStandIn.Reply;
import io.agenthive.skill.ScriptedToolModel;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Subtasks on a real hub: agents whose models hand work down a three-level tree (each submits a
 * subtask with the hive's submit_task and waits for it with wait_for_task) complete it, each task
 * under its parent; {@code parent_id} is checked (an unknown or ended parent, the depth and the
 * number of children); cancelling the root cancels the rest of its tree.
 */
class SubtasksTest {
  @TempDir static Path dataDir;
  static ApiTestHub hub;
  static ProviderStandIn model;
  static String soloId;

  @BeforeAll
  static void start() throws Exception {
    hub =
        ApiTestHub.start(
            "subtasks",
            dataDir,
            "hive.delegation { max-depth = 3, max-children = 3 }\nhive.mcp.poll-interval = 100ms");
    model = new ProviderStandIn(hub.kit.system(), Reply.status(500, "{}"));
    model.answerWith(SubtasksTest::delegate);
    delegator("level-1", "st.level1");
    delegator("level-2", "st.level2");
    solo();
    var noop =
        hub.http.post(
            "/api/agents",
            "{\"name\":\"level-3\",\"type\":\"worker\",\"capabilities\":[{\"name\":\"st.level3\","
                + "\"proficiency\":0.9}],\"skill\":{\"name\":\"noop\"}}");
    assertEquals(201, noop.status(), noop.body());
  }

  @AfterAll
  static void stop() throws Exception {
    model.close();
    hub.stop();
  }

  /**
   * The model of {@code level-n}: asked, it submits a task for level n+1; given the task, it waits
   * for it; given the ended task, it answers with its status.
   */
  static Reply delegate(String body) {
    try {
      JsonNode request = ScriptedToolModel.JSON.readTree(body);
      if (request.path("model").asText().equals(AwaitingModel.MODEL)) {
        return AwaitingModel.answer(request);
      }
      int level = Integer.parseInt(request.path("model").asText().substring("level-".length()));
      ArrayNode messages = (ArrayNode) request.path("messages");
      JsonNode last = messages.get(messages.size() - 1);
      if (last.path("role").asText().equals("user")) {
        return Reply.ok(
            ScriptedToolModel.toolCalls(
                ScriptedToolModel.call(
                    "s1",
                    "submit_task",
                    "{\"title\":\"level "
                        + (level + 1)
                        + " work\",\"max_attempts\":1,\"required_capabilities\":[{\"name\":"
                        + "\"st.level"
                        + (level + 1)
                        + "\"}]}")));
      }
      JsonNode told = ScriptedToolModel.JSON.readTree(last.path("content").asText());
      if (told.path("status").asText().equals("completed")) {
        return Reply.ok(ScriptedToolModel.text("level " + (level + 1) + " completed"));
      }
      return Reply.ok(
          ScriptedToolModel.toolCalls(
              ScriptedToolModel.call(
                  "w1",
                  "wait_for_task",
                  "{\"task_id\":\"" + told.path("id").asText() + "\",\"timeout_seconds\":60}")));
    } catch (Exception e) {
      return Reply.status(500, "{\"error\":\"" + e + "\"}");
    }
  }

  static void delegator(String name, String capability) throws Exception {
    ObjectNode agent =
        ScriptedToolModel.JSON.createObjectNode().put("name", name).put("type", "worker");
    agent.putArray("capabilities").addObject().put("name", capability).put("proficiency", 0.9);
    ObjectNode config =
        agent
            .putObject("skill")
            .put("name", "llm")
            .putObject("config")
            .put("base_url", model.url("/v1"))
            .put("model", name)
            .put("timeout_ms", 30_000);
    config
        .putObject("tools")
        .put("role", "operator")
        .putArray("hive")
        .add("submit_task")
        .add("wait_for_task");
    var r = hub.http.post("/api/agents", agent.toString());
    assertEquals(201, r.status(), r.body());
  }

  /**
   * One agent with one slot whose model hands its work to subtasks for itself ({@link
   * AwaitingModel}).
   */
  static void solo() throws Exception {
    ObjectNode agent =
        ScriptedToolModel.JSON
            .createObjectNode()
            .put("name", AwaitingModel.MODEL)
            .put("type", "worker")
            .put("max_concurrency", 1);
    agent.putArray("capabilities").addObject().put("name", "st.solo").put("proficiency", 0.9);
    ObjectNode config =
        agent
            .putObject("skill")
            .put("name", "llm")
            .putObject("config")
            .put("base_url", model.url("/v1"))
            .put("model", AwaitingModel.MODEL)
            .put("timeout_ms", 30_000);
    config
        .putObject("tools")
        .put("role", "operator")
        .putArray("hive")
        .add("submit_task")
        .add("wait_for_task")
        .add("await_subtasks");
    var r = hub.http.post("/api/agents", agent.toString());
    assertEquals(201, r.status(), r.body());
    soloId = r.json().path("id").asText();
  }

  static HttpTestClient.Reply submit(String body) throws Exception {
    return hub.http.post("/api/tasks", body);
  }

  static String created(String body) throws Exception {
    var r = submit(body);
    assertEquals(201, r.status(), r.body());
    return r.json().get("id").asText();
  }

  static JsonNode task(String id) throws Exception {
    var r = hub.http.get("/api/tasks/" + id);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  static JsonNode children(String id, int expected) {
    return hub.http
        .getUntil(
            "/api/tasks/" + id + "/children",
            r -> r.json().path("total").asInt() == expected,
            expected + " subtasks of " + id)
        .json();
  }

  @Test
  void agentsHandWorkDownAThreeLevelTreeAndItCompletes() throws Exception {
    String root =
        created(
            "{\"title\":\"level 1 work\",\"max_attempts\":1,\"timeout_ms\":60000,"
                + "\"required_capabilities\":[{\"name\":\"st.level1\"}]}");
    JsonNode done =
        hub.http
            .getUntil(
                "/api/tasks/" + root,
                r -> r.json().path("status").asText().matches("completed|failed"),
                "the root task ended")
            .json();
    assertEquals("completed", done.path("status").asText(), done.toString());
    assertEquals("level 2 completed", done.at("/result/output/answer").asText());
    // the tree as its tasks say (the lists may lag behind them)
    JsonNode level2 = task(children(root, 1).at("/items/0/id").asText());
    assertEquals(root, level2.path("parent_id").asText());
    assertEquals("completed", level2.path("status").asText());
    JsonNode level3 = task(children(level2.path("id").asText(), 1).at("/items/0/id").asText());
    assertEquals(level2.path("id").asText(), level3.path("parent_id").asText());
    assertEquals("level 3 work", level3.path("title").asText());
    assertEquals("completed", level3.path("status").asText());
  }

  @Test
  void parentIdIsCheckedAndCancellingTheRootCancelsItsTree() throws Exception {
    String nobody = "{\"required_capabilities\":[{\"name\":\"st.nobody\"}],\"title\":\"";
    String root = created(nobody + "root\"}");
    String child = created(nobody + "child\",\"parent_id\":\"" + root + "\"}");
    String grandchild = created(nobody + "grandchild\",\"parent_id\":\"" + child + "\"}");
    String deepest = created(nobody + "depth 3\",\"parent_id\":\"" + grandchild + "\"}");
    var tooDeep = submit(nobody + "depth 4\",\"parent_id\":\"" + deepest + "\"}");
    assertEquals(400, tooDeep.status(), tooDeep.body());
    assertTrue(tooDeep.body().contains("parent_id") && tooDeep.body().contains("max-depth"));
    var unknown = submit(nobody + "orphan\",\"parent_id\":\"no-such-task\"}");
    assertEquals(400, unknown.status(), unknown.body());
    assertTrue(unknown.body().contains("there is no task no-such-task"), unknown.body());

    // at most three children: the fourth is refused once the three are counted
    created(nobody + "second\",\"parent_id\":\"" + root + "\"}");
    created(nobody + "third\",\"parent_id\":\"" + root + "\"}");
    children(root, 3);
    var fourth = submit(nobody + "fourth\",\"parent_id\":\"" + root + "\"}");
    assertEquals(400, fourth.status(), fourth.body());
    assertTrue(fourth.body().contains("max-children"), fourth.body());

    assertEquals(200, hub.http.post("/api/tasks/" + root + "/cancel", "{}").status());
    for (String id : List.of(child, grandchild, deepest)) {
      until(
          () -> hub.http.get("/api/tasks/" + id),
          r -> r.json().path("status").asText().equals("cancelled"),
          "subtask " + id + " cancelled with its root");
    }
    var late = submit(nobody + "too late\",\"parent_id\":\"" + root + "\"}");
    assertEquals(400, late.status(), late.body());
    assertTrue(late.body().contains("has ended (cancelled)"), late.body());
  }

  @Test
  void aBulkCancelAndAWorkflowsCancelCancelTheSubtasksToo() throws Exception {
    String nobody = "{\"required_capabilities\":[{\"name\":\"st.nobody\"}],\"title\":\"";
    // a selection cancelled in one request (the dashboard's), as each task's own route does
    String root = created(nobody + "bulk root\"}");
    String child = created(nobody + "bulk child\",\"parent_id\":\"" + root + "\"}");
    String grandchild = created(nobody + "bulk grandchild\",\"parent_id\":\"" + child + "\"}");
    children(root, 1);
    children(child, 1);
    var bulk =
        hub.http.post("/api/tasks/bulk", "{\"action\":\"cancel\",\"ids\":[\"" + root + "\"]}");
    assertEquals(200, bulk.status(), bulk.body());
    assertEquals(1, bulk.json().path("succeeded").asInt(), bulk.body());
    for (String id : List.of(child, grandchild)) {
      until(
          () -> hub.http.get("/api/tasks/" + id),
          r -> r.json().path("status").asText().equals("cancelled"),
          "subtask " + id + " cancelled with the root cancelled in bulk");
    }

    // a selection holding a parent and its subtask: each reported as cancelled by its own row
    String parent = created(nobody + "selected parent\"}");
    String sub = created(nobody + "selected subtask\",\"parent_id\":\"" + parent + "\"}");
    children(parent, 1);
    var both =
        hub.http.post(
            "/api/tasks/bulk",
            "{\"action\":\"cancel\",\"ids\":[\"" + parent + "\",\"" + sub + "\"]}");
    assertEquals(2, both.json().path("succeeded").asInt(), both.body());

    // a workflow's step that made a subtask: cancelling the workflow cancels that subtask too
    var wf =
        hub.http.post(
            "/api/workflows",
            "{\"name\": \"cancelled with its subtasks\", \"tasks\": [{\"name\": \"a\","
                + " \"title\": \"waits\", \"required_capabilities\": [{\"name\": \"st.nobody\"}]}]}");
    assertEquals(201, wf.status(), wf.body());
    String workflow = wf.json().get("id").asText();
    String step =
        hub.http
            .getUntil(
                "/api/workflows/" + workflow,
                r -> !r.json().at("/tasks/0/task_id").asText().isEmpty(),
                "the workflow's step submitted")
            .json()
            .at("/tasks/0/task_id")
            .asText();
    String stepChild = created(nobody + "the step's subtask\",\"parent_id\":\"" + step + "\"}");
    children(step, 1);
    assertEquals(200, hub.http.post("/api/workflows/" + workflow + "/cancel", "{}").status());
    until(
        () -> hub.http.get("/api/tasks/" + stepChild),
        r -> r.json().path("status").asText().equals("cancelled"),
        "the step's subtask cancelled with its workflow");
  }

  /**
   * One agent with one slot runs a three-level tree of its own tasks: each parent gives the slot
   * back while its subtask runs (waiting in it, as wait_for_task does, no subtask could ever
   * start), and is run again, told what its subtask left, once that ended.
   */
  @Test
  void aParentGivesItsSlotBackWhileItsSubtasksRunSoOneSlotRunsAWholeTree() throws Exception {
    String root =
        created(
            "{\"title\":\"depth 1\",\"input\":\"depth 1\",\"max_attempts\":1,"
                + "\"timeout_ms\":60000,\"required_capabilities\":[{\"name\":\"st.solo\"}]}");
    JsonNode done =
        hub.http
            .getUntil(
                "/api/tasks/" + root,
                r -> r.json().path("status").asText().matches("completed|failed"),
                "the root task ended")
            .json();
    assertEquals("completed", done.path("status").asText(), done.toString());
    assertEquals(
        "depth 1 done after depth 2 done after depth 3 done",
        done.at("/result/output/answer").asText(),
        done.toString());
    // two attempts: the one that handed its work down, and the one after; neither failed
    assertEquals(2, done.path("attempts").asInt(), done.toString());
    JsonNode depth2 = task(children(root, 1).at("/items/0/id").asText());
    assertEquals("completed", depth2.path("status").asText(), depth2.toString());
    assertEquals(2, depth2.path("attempts").asInt(), depth2.toString());
    JsonNode depth3 = task(children(depth2.path("id").asText(), 1).at("/items/0/id").asText());
    assertEquals("depth 3", depth3.path("title").asText());
    assertEquals(1, depth3.path("attempts").asInt(), depth3.toString());
    // the three attempts that handed their work down were neither completed nor failed
    JsonNode stats =
        hub.http
            .getUntil(
                "/api/agents/" + soloId,
                r -> r.json().at("/stats/tasks_completed").asInt() >= 3,
                "the agent's completed attempts counted")
            .json()
            .path("stats");
    assertEquals(0, stats.path("tasks_failed").asInt(), stats.toString());
    JsonNode explained = hub.http.get("/api/tasks/" + root + "/explain").json();
    assertTrue(
        explained.toString().contains("handed its work to subtasks " + depth2.path("id").asText()),
        explained.toString());
  }

  @Test
  void aParentWaitingForItsSubtasksHoldsNoSlotAndCancellingItCancelsThem() throws Exception {
    String stuck =
        created(
            "{\"title\":\"stuck\",\"input\":\"stuck\",\"max_attempts\":1,"
                + "\"required_capabilities\":[{\"name\":\"st.solo\"}]}");
    hub.http.getUntil(
        "/api/tasks/" + stuck,
        r -> r.json().path("status").asText().equals("blocked"),
        "the parent waiting for a subtask no agent can run");
    String child = children(stuck, 1).at("/items/0/id").asText();
    // the agent's one slot is free: another task runs while the parent waits
    String other =
        created(
            "{\"title\":\"depth 3\",\"input\":\"depth 3\",\"max_attempts\":1,"
                + "\"required_capabilities\":[{\"name\":\"st.solo\"}]}");
    hub.http.getUntil(
        "/api/tasks/" + other,
        r -> r.json().path("status").asText().equals("completed"),
        "a task run by the agent whose parent task waits");
    assertEquals(200, hub.http.post("/api/tasks/" + stuck + "/cancel", "{}").status());
    until(
        () -> hub.http.get("/api/tasks/" + child),
        r -> r.json().path("status").asText().equals("cancelled"),
        "the awaited subtask cancelled with its parent");
    assertEquals("cancelled", task(stuck).path("status").asText());
  }

  @Test
  void anAgentMayAwaitOnlyItsOwnTasksSubtasks() throws Exception {
    String foreign =
        created(
            "{\"title\":\"someone else's\",\"required_capabilities\":[{\"name\":\"st.nobody\"}]}");
    String asker =
        created(
            "{\"title\":\"foreign\",\"input\":\"foreign "
                + foreign
                + "\",\"max_attempts\":1,\"required_capabilities\":[{\"name\":\"st.solo\"}]}");
    JsonNode done =
        hub.http
            .getUntil(
                "/api/tasks/" + asker,
                r -> r.json().path("status").asText().matches("completed|failed"),
                "the task that asked to await another's task ended")
            .json();
    assertEquals("completed", done.path("status").asText(), done.toString());
    assertTrue(
        done.at("/result/output/answer").asText().contains("is not a subtask of this task"),
        done.toString());
    assertEquals(1, done.path("attempts").asInt(), "refused, it waited for nothing");
    assertEquals("pending", task(foreign).path("status").asText());
  }

  /**
   * Awaiting subtasks that have all ended already ends nothing: the model is told what they left.
   */
  @Test
  void awaitingSubtasksThatHaveAllEndedTellsTheModelWhatTheyLeft() throws Exception {
    String asker =
        created(
            "{\"title\":\"ended\",\"input\":\"ended\",\"max_attempts\":1,"
                + "\"timeout_ms\":60000,\"required_capabilities\":[{\"name\":\"st.solo\"}]}");
    JsonNode done =
        hub.http
            .getUntil(
                "/api/tasks/" + asker,
                r -> r.json().path("status").asText().matches("completed|failed"),
                "the task that awaited an ended subtask ended")
            .json();
    assertEquals("completed", done.path("status").asText(), done.toString());
    String said = done.at("/result/output/answer").asText();
    assertTrue(said.contains("every one of them has ended already"), done.toString());
    assertTrue(said.contains("completed"), "what the subtask left: " + said);
    assertEquals(1, done.path("attempts").asInt(), "one attempt: it never waited");
  }
}
