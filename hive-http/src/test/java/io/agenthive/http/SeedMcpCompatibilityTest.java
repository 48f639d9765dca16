package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agenthive.testing.Eventually;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Calls as a client written for the seed hub makes them on {@code /api/mcp}, against a real hub on
 * a real port: the seed's argument shapes, result fields and JSON-RPC errors for bad arguments. The
 * same bad arguments on {@code /mcp} stay isError tool results.
 */
@Tag("database-neutral") // the seed's MCP call shapes at the edge: the same on every database
class SeedMcpCompatibilityTest {
  @TempDir static Path dataDir;
  static ApiTestHub hub;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static int nextId = 100;

  @BeforeAll
  static void start() throws Exception {
    hub = ApiTestHub.start("SeedMcpCompatibilityTest", dataDir, "");
  }

  @AfterAll
  static void stop() {
    hub.stop();
  }

  /** The whole JSON-RPC answer to one tools/call. */
  private static JsonNode rpc(String tool, String arguments) throws Exception {
    int id = nextId++;
    var reply =
        hub.http.post(
            "/api/mcp",
            "{\"jsonrpc\": \"2.0\", \"id\": "
                + id
                + ", \"method\": \"tools/call\", \"params\": {\"name\": \""
                + tool
                + "\", \"arguments\": "
                + arguments
                + "}}");
    assertEquals(200, reply.status(), reply.body());
    assertEquals(id, reply.json().get("id").asInt(), reply.body());
    return reply.json();
  }

  /** The tool's text content parsed as JSON; fails on a JSON-RPC error or an isError result. */
  private static JsonNode result(String tool, String arguments) throws Exception {
    JsonNode answer = rpc(tool, arguments);
    assertFalse(answer.has("error"), answer.toString());
    assertFalse(answer.at("/result/isError").asBoolean(), answer.toString());
    JsonNode parsed = JSON.readTree(answer.at("/result/content/0/text").asText());
    assertTrue(parsed.isObject(), tool + "'s text is a JSON object: " + answer);
    return parsed;
  }

  /** A JSON-RPC invalid-params error whose message starts with the seed's phrase. */
  private static void invalid(String tool, String arguments, String seedPhrase) throws Exception {
    JsonNode answer = rpc(tool, arguments);
    assertFalse(answer.has("result"), tool + " " + arguments + " should fail: " + answer);
    assertEquals(-32602, answer.at("/error/code").asInt(), answer.toString());
    String message = answer.at("/error/message").asText();
    assertTrue(
        message.startsWith(seedPhrase), "'" + message + "' starts with '" + seedPhrase + "'");
  }

  @Test
  void batchCreateAgentsTakesTheSeedsCountAndTypeAndAnswersItsFields() throws Exception {
    JsonNode made = result("batch_create_agents", "{\"count\": 3, \"type\": \"worker\"}");
    assertTrue(made.get("success").asBoolean(), made.toString());
    assertEquals(3, made.get("created_count").asInt(), made.toString());
    assertEquals(3, made.get("total_created").asInt(), "our own field stays");
    assertFalse(made.get("message").asText().isBlank());
    List<String> ids = new ArrayList<>();
    made.get("agent_ids").forEach(id -> ids.add(id.asText()));
    assertEquals(3, ids.stream().distinct().count(), made.toString());
    for (String id : ids) {
      var agent = hub.http.get("/api/agents/" + id);
      assertEquals(200, agent.status(), agent.body());
      assertEquals("worker", agent.json().get("type").asText());
      assertTrue(agent.json().get("name").asText().startsWith("worker-"), agent.body());
    }
    hub.http.getUntil(
        "/api/agents?limit=1000",
        r -> ids.stream().allMatch(r.body()::contains),
        "the three agents in GET /api/agents");

    JsonNode seedName =
        result("batch_create_agents", "{\"count\": 1, \"agent_type\": \"Learner\"}");
    String learner = seedName.at("/agent_ids/0").asText();
    assertEquals("learner", hub.http.get("/api/agents/" + learner).json().get("type").asText());

    JsonNode ours =
        result(
            "batch_create_agents",
            "{\"agents\": [{\"type\": \"coordinator\"}, {\"type\": \"robot\"}]}");
    assertFalse(ours.get("success").asBoolean(), "one of two was refused: " + ours);
    assertEquals(1, ours.get("created_count").asInt());
    assertEquals(ours.at("/created/0/agent_id"), ours.at("/agent_ids/0"));
    assertTrue(ours.at("/failed/0/error").asText().startsWith("agents[1].type"), ours.toString());
  }

  @Test
  void badBatchArgumentsAreInvalidParamsWithTheSeedsWords() throws Exception {
    // every refused call names its would-be agents "refused-...", so any that slipped through
    // would show in the list below
    String n = ", \"name\": \"refused\"";
    invalid(
        "batch_create_agents", "{\"count\": 0, \"type\": \"worker\"" + n + "}", "Invalid count");
    invalid(
        "batch_create_agents", "{\"count\": 11, \"type\": \"worker\"" + n + "}", "Invalid count");
    invalid(
        "batch_create_agents",
        "{\"count\": \"3\", \"type\": \"worker\"" + n + "}",
        "Invalid count");
    invalid(
        "batch_create_agents",
        "{\"type\": \"worker\"" + n + "}",
        "Missing required parameter: count");
    invalid(
        "batch_create_agents",
        "{\"count\": 2, \"type\": \"robot\"" + n + "}",
        "Invalid agent type");
    invalid(
        "batch_create_agents",
        "{\"count\": 2, \"agents\": [{\"type\": \"worker\", \"name\": \"refused-x\"}]}",
        "Invalid parameters");
    invalid("create_swarm_agent", "{\"agent_type\": \"robot\"" + n + "}", "Invalid agent type");
    JsonNode detail = rpc("create_swarm_agent", "{\"type\": \"robot\"" + n + "}");
    assertTrue(
        detail.at("/error/message").asText().endsWith("(got robot)"),
        "the phrase, then our detail: " + detail);
    assertEquals("type: must be one of", detail.at("/error/data").asText().substring(0, 20));
    // an agent made after the refused calls: once the list shows it, it shows anything before it
    String later = result("create_swarm_agent", "{\"type\": \"worker\"}").get("agent_id").asText();
    var listed =
        hub.http.getUntil(
            "/api/agents?limit=1000", r -> r.body().contains(later), "the later agent listed");
    assertFalse(listed.body().contains("\"refused"), "a refused call registered an agent");
  }

  @Test
  void otherToolsRefuseBadArgumentsWithTheSeedsWords() throws Exception {
    invalid(
        "assign_swarm_task",
        "{\"description\": \"x\", \"priority\": \"urgent\"}",
        "Invalid priority");
    invalid(
        "assign_swarm_task", "{\"priority\": \"high\"}", "Missing required parameter: description");
    invalid("coordinate_agents", "{\"strategy\": \"reckless\"}", "Invalid strategy");
    invalid("analyze_with_nlp", "{}", "Missing text to analyze");
    invalid("analyze_with_nlp", "{\"text\": \"   \"}", "Missing text to analyze");
    invalid("echo", "{\"message\": \"x\", \"mesage\": \"typo\"}", "Unknown parameter: mesage");
    invalid("get_task_details", "{\"task_id\": \"../keys\"}", "Invalid task_id");
    // a failure that is not the arguments' fault stays a tool result, as in the seed
    JsonNode missing = rpc("get_task_details", "{\"task_id\": \"no-such-task\"}");
    assertTrue(missing.at("/result/isError").asBoolean(), missing.toString());
  }

  @Test
  void systemInfoNamesThePlatform() throws Exception {
    JsonNode info = result("system_info", "{}");
    String platform = info.get("platform").asText();
    assertTrue(platform.matches("[a-z]+-[a-z0-9_]+"), platform);
    assertFalse(platform.contains("unknown"), platform);
    String os = System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT);
    if (os.startsWith("linux")) {
      assertTrue(platform.startsWith("linux-"), platform);
    }
    assertTrue(info.get("cpu_count").asInt() > 0, "the existing fields stay: " + info);
  }

  @Test
  void swarmStatusCarriesMetricsFromTheHivesOwnCounts() throws Exception {
    var agent =
        hub.http.post(
            "/api/agents",
            "{\"name\": \"metrics-worker\", \"type\": \"worker\", \"capabilities\":"
                + " [{\"name\": \"metrics\", \"proficiency\": 1.0}]}");
    assertEquals(201, agent.status(), agent.body());
    String task =
        result(
                "assign_swarm_task",
                "{\"description\": \"count me\", \"required_capabilities\":"
                    + " [{\"name\": \"metrics\", \"minimum_proficiency\": 0.5}]}")
            .get("task_id")
            .asText();
    hub.http.getUntil(
        "/api/tasks/" + task,
        r -> r.json().get("status").asText().equals("completed"),
        "the task completed");
    JsonNode metrics =
        Eventually.eventually(
            () -> {
              JsonNode m = result("get_swarm_status", "{}").get("metrics");
              return m != null && m.get("completed_tasks").asLong() >= 1 ? m : null;
            },
            "metrics that count the completed task");
    assertTrue(metrics.get("total_agents").asLong() >= 1, metrics.toString());
    assertTrue(metrics.get("total_tasks").asLong() >= 1, metrics.toString());
    double rate = metrics.get("success_rate").asDouble();
    assertTrue(rate > 0 && rate <= 1, metrics.toString());
    assertTrue(metrics.get("tasks_per_second_last_minute").isNumber(), metrics.toString());
    JsonNode status = result("get_swarm_status", "{}");
    assertTrue(status.has("agents") && status.has("queue_depth"), "our fields stay: " + status);
  }

  @Test
  void listAgentsTextIsTheJsonObjectWithTheAgents() throws Exception {
    String id =
        result("create_swarm_agent", "{\"type\": \"specialist\", \"specialization\": \"lists\"}")
            .get("agent_id")
            .asText();
    JsonNode listed =
        Eventually.eventually(
            () -> {
              JsonNode l = result("list_agents", "{\"capability\": \"lists\"}");
              return l.get("agents").toString().contains(id) ? l : null;
            },
            "the agent in list_agents");
    assertTrue(listed.get("agents").isArray(), listed.toString());
    assertEquals(listed.get("agents").size(), listed.get("count").asInt());
    assertTrue(listed.get("total").asInt() >= 1, listed.toString());
    assertEquals(listed.get("items"), listed.get("agents"), "our items stay, the same list");
  }

  @Test
  void theSameBadArgumentsOnMcpAreToolResultsTheModelCanRead() throws Exception {
    var transport =
        HttpClientStreamableHttpTransport.builder(hub.http.base())
            .endpoint("/mcp")
            .requestBuilder(
                HttpRequest.newBuilder().header("Authorization", "Bearer " + hub.adminKey))
            .build();
    try (McpScenario mcp = new McpScenario(transport, hub.http)) {
      mcp.client.initialize();
      mcp.refused("batch_create_agents", Map.of("count", 2, "type", "robot"), "type");
      mcp.refused("batch_create_agents", Map.of("type", "worker"), "count");
      mcp.refused(
          "assign_swarm_task", Map.of("description", "x", "priority", "urgent"), "priority");
      mcp.refused("analyze_with_nlp", Map.of(), "text");
      mcp.refused("coordinate_agents", Map.of("strategy", "reckless"), "strategy");
      JsonNode made = mcp.call("batch_create_agents", Map.of("count", 2, "type", "worker"));
      assertEquals(2, made.get("created_count").asInt(), made.toString());
    }
  }
}
