package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agenthive.skill.McpToolServer;
import io.agenthive.skill.ProviderStandIn;
import io.agenthive.skill.ProviderStandIn.Reply;
import io.agenthive.skill.ScriptedToolModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An llm agent's tool loop on a real hub and port: the provider stand-in (OpenAI-compatible,
 * streamed) asks for tools, an MCP server built from the SDK's own classes answers its tool, the
 * hive's own {@code submit_task} makes a task as the agent, a tool not on the allowlist is refused
 * and the model told so, a viewer agent cannot submit, and a model that never stops asking ends at
 * the step limit.
 */
class AgentToolLoopTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dataDir;
  static ApiTestHub hub;
  static McpToolServer tools;
  static ProviderStandIn model;
  static String actorId;

  @BeforeAll
  static void start() throws Exception {
    hub = ApiTestHub.start("tool-loops", dataDir, "");
    tools = new McpToolServer();
    model = new ProviderStandIn(hub.kit.system(), Reply.status(500, "{}"));
    model.answerWith(ScriptedToolModel::answer);
    actorId = agent("actor", "tl.act", "scripted", "operator", 4);
    agent("viewer", "tl.view", "scripted", "viewer", 4);
    agent("looper", "tl.loop", "looper", "operator", 3);
  }

  @AfterAll
  static void stop() throws Exception {
    model.close();
    tools.close();
    hub.stop();
  }

  static String agent(String name, String capability, String modelName, String role, int steps)
      throws Exception {
    ObjectNode agent = JSON.createObjectNode().put("name", name).put("type", "worker");
    agent.putArray("capabilities").addObject().put("name", capability).put("proficiency", 0.9);
    ObjectNode config =
        agent
            .putObject("skill")
            .put("name", "llm")
            .putObject("config")
            .put("base_url", model.url("/v1"))
            .put("model", modelName)
            .put("timeout_ms", 10_000);
    ObjectNode t = config.putObject("tools").put("role", role).put("max_steps", steps);
    t.putArray("hive").add("submit_task").add("get_task");
    t.putArray("mcp")
        .addObject()
        .put("name", "files")
        .put("url", tools.url())
        .putArray("allow")
        .add("lookup");
    var r = hub.http.post("/api/agents", agent.toString());
    assertEquals(201, r.status(), r.body());
    return r.json().get("id").asText();
  }

  static JsonNode run(String capability, int maxAttempts) throws Exception {
    var r =
        hub.http.post(
            "/api/tasks",
            "{\"title\":\"use your tools\",\"input\":\"go\",\"max_attempts\":"
                + maxAttempts
                + ",\"timeout_ms\":30000,\"required_capabilities\":[{\"name\":\""
                + capability
                + "\"}]}");
    assertEquals(201, r.status(), r.body());
    String id = r.json().get("id").asText();
    return hub.http
        .getUntil(
            "/api/tasks/" + id,
            t -> List.of("completed", "failed").contains(t.json().path("status").asText()),
            "task " + id + " ended")
        .json();
  }

  static JsonNode byName(JsonNode calls, String name) {
    for (JsonNode c : calls) {
      if (c.path("name").asText().equals(name)) {
        return c;
      }
    }
    return fail("no call of " + name + " in " + calls);
  }

  @Test
  void oneLoopCallsAnMcpToolAndTheHivesOwnAndIsRefusedWhatItMayNotCall() throws Exception {
    JsonNode task = run("tl.act", 1);
    assertEquals("completed", task.path("status").asText(), task.toString());
    JsonNode output = task.at("/result/output");
    JsonNode calls = output.path("tool_calls");
    assertEquals(3, calls.size(), output.toString());
    assertEquals("ok", byName(calls, "files__lookup").path("outcome").asText());
    assertEquals("mcp:files", byName(calls, "files__lookup").path("source").asText());
    assertEquals(64, byName(calls, "files__lookup").path("arguments_sha256").asText().length());
    assertEquals("ok", byName(calls, "submit_task").path("outcome").asText(), calls.toString());
    assertEquals("hive", byName(calls, "submit_task").path("source").asText());
    assertEquals("refused", byName(calls, "files__wipe").path("outcome").asText());
    assertEquals(2, output.path("steps").asInt());
    // /explain shows them on the attempt
    var explained = hub.http.get("/api/tasks/" + task.path("id").asText() + "/explain");
    assertEquals(3, explained.json().at("/attempts/0/tool_calls").size(), explained.body());
    // both model calls count against the budget
    assertEquals(56, output.at("/usage/total_tokens").asInt(), output.toString());

    // the model was told each answer, the refusal too; the MCP tool saw the attempt's id
    String answer = output.path("answer").asText();
    assertTrue(answer.contains("value-of-alpha"), answer);
    assertTrue(answer.contains("wipe is not on this agent's allowlist"), answer);
    List<McpToolServer.Call> seen = tools.calls();
    assertTrue(seen.stream().noneMatch(c -> c.tool().equals("wipe")), seen.toString());
    assertTrue(
        seen.stream()
            .anyMatch(
                c ->
                    c.tool().equals("lookup")
                        && (task.path("id").asText() + ":1").equals(c.attemptId())),
        seen.toString());

    // the child task was made by the agent itself, once, through the API
    var children =
        hub.http.getUntil(
            "/api/tasks?q=child&limit=50",
            r -> r.json().path("items").size() > 0,
            "the child task listed");
    List<String> ids = new ArrayList<>();
    for (JsonNode t : children.json().path("items")) {
      if (t.path("title").asText().equals("child of the loop")) {
        ids.add(t.path("id").asText());
      }
    }
    assertEquals(1, ids.size(), children.body());
    var history = hub.http.get("/api/tasks/" + ids.get(0) + "/history");
    assertTrue(history.body().contains("agent:" + actorId), history.body());
  }

  @Test
  void aViewerAgentsToolsCannotSubmit() throws Exception {
    JsonNode task = run("tl.view", 1);
    assertEquals("completed", task.path("status").asText(), task.toString());
    JsonNode submit = byName(task.at("/result/output/tool_calls"), "submit_task");
    assertEquals("error", submit.path("outcome").asText(), submit.toString());
    // refused by the API's roles, and nothing was made
    assertTrue(submit.path("detail").asText().contains("403"), submit.toString());
    var listed = hub.http.get("/api/tasks/" + task.path("id").asText() + "/children");
    assertEquals(0, listed.json().path("total").asInt(), listed.body());
  }

  @Test
  void aModelThatNeverStopsAskingEndsAtTheStepLimitWithoutARetry() throws Exception {
    long before = model.requestsFor("looper");
    JsonNode task = run("tl.loop", 3);
    assertEquals("failed", task.path("status").asText(), task.toString());
    assertTrue(task.at("/result/error").asText().contains("step limit of 3"), task.toString());
    assertEquals(3, model.requestsFor("looper") - before, "three model calls, one attempt");
  }

  @Test
  void anAgentsToolsMayNotActAsAdmin() throws Exception {
    String agent =
        "{\"name\":\"bad\",\"type\":\"worker\",\"capabilities\":[{\"name\":\"x\",\"proficiency\":0.5}],"
            + "\"skill\":{\"name\":\"llm\",\"config\":{\"base_url\":\"http://127.0.0.1:1/v1\","
            + "\"model\":\"m\",\"tools\":{\"role\":\"admin\",\"mcp\":[{\"name\":\"f\",\"url\":\"x\"}]}}}}";
    var r = hub.http.post("/api/agents", agent);
    assertEquals(400, r.status(), r.body());
    assertTrue(r.body().contains("tools.role"), r.body());
    assertTrue(r.body().contains("tools.mcp[0].url"), r.body());
    assertTrue(r.body().contains("tools.mcp[0].allow"), r.body());
  }
}
