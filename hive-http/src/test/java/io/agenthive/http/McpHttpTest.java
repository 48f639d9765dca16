package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.*;

import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MCP over Streamable HTTP at {@code /mcp}, with the SDK's own client, against a real hub. */
class McpHttpTest {
  @TempDir static Path dataDir;
  static ApiTestHub hub;

  @BeforeAll
  static void start() throws Exception {
    hub = ApiTestHub.start("McpHttpTest", dataDir, "hive.mcp.poll-interval = 100ms");
  }

  @AfterAll
  static void stop() {
    hub.stop();
  }

  private McpScenario scenario(String key) {
    var transport =
        HttpClientStreamableHttpTransport.builder(hub.http.base())
            .endpoint("/mcp")
            .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + key))
            .build();
    return new McpScenario(transport, hub.http);
  }

  @Test
  void anAssistantUsesEveryToolAndResourceOverStreamableHttp() throws Exception {
    try (McpScenario mcp = scenario(hub.adminKey)) {
      mcp.initializeAndList();
      mcp.everyTool();
      mcp.failuresAreToolErrors();
      mcp.resourcesAndSubscriptions();
    }
  }

  @Test
  void aViewerKeyMayReadButItsToolsCannotChangeTheHive() throws Exception {
    var made = hub.http.post("/api/keys", "{\"name\": \"mcp-viewer\", \"role\": \"viewer\"}");
    try (McpScenario mcp = scenario(made.json().get("key").asText())) {
      mcp.client.initialize();
      mcp.call("get_swarm_status", java.util.Map.of());
      mcp.refused("submit_task", java.util.Map.of("title", "not allowed"), "403");
    }
  }

  @Test
  void withoutAKeyThereAreNoTools() throws Exception {
    var anonymous = hub.http.as(null);
    var r =
        anonymous.post(
            "/mcp",
            "{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"tools/list\"}",
            "Accept",
            "application/json, text/event-stream");
    assertEquals(401, r.status());
    assertEquals(401, hub.http.as("hk_0123456789ab_not-a-real-secret").post("/mcp", "{}").status());
  }

  @Test
  void aRequestOutsideASessionIsRefusedPlainly() throws Exception {
    var r = hub.http.post("/mcp", "{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"tools/list\"}");
    assertEquals(400, r.status());
    assertTrue(r.json().at("/error/message").asText().contains("Mcp-Session-Id"), r.body());
    var unknown =
        hub.http.post(
            "/mcp",
            "{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"tools/list\"}",
            "Mcp-Session-Id",
            "no-such-session");
    assertEquals(404, unknown.status());
    var garbage = hub.http.post("/mcp", "{not json");
    assertEquals(400, garbage.status());
    assertEquals(-32700, garbage.json().at("/error/code").asInt());
  }
}
