package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agenthive.testing.Eventually;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seed hub's MCP over HTTP: one plain JSON-RPC request per POST to {@code /api/mcp}. */
@Tag("database-neutral") // the MCP protocol at the edge: the same on every database
class McpPlainJsonRpcTest {
  @TempDir static Path dataDir;
  static ApiTestHub hub;
  private static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void start() throws Exception {
    hub = ApiTestHub.start("McpPlainJsonRpcTest", dataDir, "");
  }

  @AfterAll
  static void stop() {
    hub.stop();
  }

  private static HttpTestClient.Reply rpc(String body) throws Exception {
    return hub.http.post("/api/mcp", body);
  }

  private static String call(int id, String tool, String arguments) {
    return "{\"jsonrpc\": \"2.0\", \"id\": "
        + id
        + ", \"method\": \"tools/call\", \"params\": {\"name\": \""
        + tool
        + "\", \"arguments\": "
        + arguments
        + "}}";
  }

  @Test
  void initializeListAndCallAnswerPlainJson() throws Exception {
    var init =
        rpc(
            "{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"initialize\", \"params\":"
                + " {\"protocolVersion\": \"2024-11-05\", \"capabilities\": {}, \"clientInfo\":"
                + " {\"name\": \"seed-client\", \"version\": \"1\"}}}");
    assertEquals(200, init.status(), init.body());
    assertEquals("multiagent-hive-mcp", init.json().at("/result/serverInfo/name").asText());
    assertEquals(1, init.json().get("id").asInt());
    var list = rpc("{\"jsonrpc\": \"2.0\", \"id\": 2, \"method\": \"tools/list\"}");
    assertEquals(McpScenario.TOOLS.size(), list.json().at("/result/tools").size());
    for (JsonNode tool : list.json().at("/result/tools")) {
      assertTrue(tool.has("inputSchema"), tool.toString());
    }
    var echo = rpc(call(3, "echo", "{\"message\": \"hi\"}"));
    assertTrue(echo.json().at("/result/content/0/text").asText().contains("\"echo\":\"hi\""));
  }

  @Test
  void theSeedsCreateThenStatusFlowCountsTheNewAgent() throws Exception {
    long before = agents();
    var made = rpc(call(4, "create_swarm_agent", "{\"type\": \"worker\"}"));
    String id =
        JSON.readTree(made.json().at("/result/content/0/text").asText()).get("agent_id").asText();
    assertEquals(200, hub.http.get("/api/agents/" + id).status());
    Eventually.eventually(() -> agents() == before + 1 ? true : null, "one more agent");
    var bad =
        rpc(call(5, "assign_swarm_task", "{\"description\": \"x\", \"priority\": \"urgent\"}"));
    // a bad argument is the seed's JSON-RPC error here (on /mcp it is an isError result)
    assertEquals(-32602, bad.json().at("/error/code").asInt(), bad.body());
    assertTrue(bad.json().at("/error/message").asText().startsWith("Invalid priority"), bad.body());
  }

  @Test
  void anApprovalIsListedAndDecidedOverMcpAsItsCaller() throws Exception {
    var made =
        hub.http.post(
            "/api/tasks",
            "{\"kind\": \"approval\", \"prompt\": \"over MCP?\", \"approvers\": [\"role:admin\"]}");
    assertEquals(201, made.status(), made.body());
    String id = made.json().get("id").asText();
    JsonNode inbox =
        Eventually.eventually(
            () -> {
              var r = rpc(call(20, "list_approvals", "{}"));
              JsonNode listed = JSON.readTree(r.json().at("/result/content/0/text").asText());
              return listed.toString().contains(id) ? listed : null;
            },
            "the approval in list_approvals");
    assertTrue(inbox.get("count").asInt() >= 1, inbox.toString());
    var decided =
        rpc(
            call(
                21,
                "decide_approval",
                "{\"task_id\": \""
                    + id
                    + "\", \"decision\": \"approve\", \"comment\": \"via mcp\"}"));
    JsonNode task = JSON.readTree(decided.json().at("/result/content/0/text").asText());
    assertEquals("completed", task.get("status").asText(), decided.body());
    assertEquals("via mcp", task.at("/result/output/comment").asText());
    var again =
        rpc(call(22, "decide_approval", "{\"task_id\": \"" + id + "\", \"decision\": \"reject\"}"));
    assertTrue(again.json().at("/result/isError").asBoolean(), again.body());
  }

  private static long agents() throws Exception {
    var status = rpc(call(9, "get_swarm_status", "{}"));
    JsonNode counts =
        JSON.readTree(status.json().at("/result/content/0/text").asText()).get("agents");
    long total = 0;
    for (JsonNode c : counts) {
      total += c.asLong();
    }
    return total;
  }

  @Test
  void notificationsGetNoAnswerAndUnknownMethodsAndBadJsonGetErrors() throws Exception {
    var note = rpc("{\"jsonrpc\": \"2.0\", \"method\": \"notifications/initialized\"}");
    assertEquals(202, note.status());
    assertEquals("", note.body());
    var unknown = rpc("{\"jsonrpc\": \"2.0\", \"id\": 7, \"method\": \"hive/explode\"}");
    assertEquals(-32601, unknown.json().at("/error/code").asInt());
    assertEquals(7, unknown.json().get("id").asInt());
    var garbage = rpc("{\"jsonrpc\": ");
    assertEquals(-32700, garbage.json().at("/error/code").asInt());
    assertTrue(garbage.json().get("id").isNull());
  }

  @Test
  void withoutAKeyThereIsNoMcpAndHealthAnswersTheSeedsShape() throws Exception {
    assertEquals(
        401,
        hub.http
            .as(null)
            .post("/api/mcp", "{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"tools/list\"}")
            .status());
    var health = hub.http.get("/api/mcp/health");
    assertEquals(200, health.status());
    for (String field :
        new String[] {
          "service", "status", "hive_connected", "total_agents", "active_agents", "timestamp"
        }) {
      assertTrue(health.json().has(field), field + " in " + health.body());
    }
    assertEquals("healthy", health.json().get("status").asText());
    assertTrue(health.json().get("hive_connected").asBoolean());
  }

  @Test
  void aClientInfoThatIsTooLongOrForgesLogLinesIsRefused() throws Exception {
    for (String name : java.util.List.of("x".repeat(129), "evil\\nWARN forged line")) {
      var init =
          rpc(
              "{\"jsonrpc\": \"2.0\", \"id\": 7, \"method\": \"initialize\", \"params\":"
                  + " {\"protocolVersion\": \"2024-11-05\", \"capabilities\": {}, \"clientInfo\":"
                  + " {\"name\": \""
                  + name
                  + "\", \"version\": \"1\"}}}");
      assertEquals(-32602, init.json().at("/error/code").asInt(), init.body());
      assertTrue(
          init.json().at("/error/message").asText().startsWith("clientInfo.name must"),
          init.body());
    }
  }
}
