package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agenthive.testing.Eventually;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * What an assistant does with the hive over MCP, on any transport: the SDK's own client calls every
 * tool, and each effect is checked through the REST API, not through MCP itself.
 */
final class McpScenario implements AutoCloseable {
  static final Set<String> TOOLS =
      Set.of(
          "create_swarm_agent",
          "assign_swarm_task",
          "get_swarm_status",
          "analyze_with_nlp",
          "coordinate_agents",
          "echo",
          "system_info",
          "list_agents",
          "list_tasks",
          "get_agent_details",
          "get_task_details",
          "batch_create_agents",
          "submit_task",
          "wait_for_task",
          "cancel_task",
          "retry_task",
          "explain_task",
          "task_history",
          "hive_state_at",
          "audit_events",
          "pause_agent",
          "resume_agent",
          "list_approvals",
          "decide_approval",
          "signal_workflow",
          "list_schedules",
          "create_schedule",
          "trigger_schedule");
  private static final ObjectMapper JSON = new ObjectMapper();

  final McpSyncClient client;
  final HttpTestClient rest;
  final List<McpSchema.ProgressNotification> progress = new CopyOnWriteArrayList<>();
  final List<String> updated = new CopyOnWriteArrayList<>();

  McpScenario(McpClientTransport transport, HttpTestClient rest) {
    this.rest = rest;
    this.client =
        McpClient.sync(transport)
            .requestTimeout(Duration.ofSeconds(60))
            .initializationTimeout(Duration.ofSeconds(60))
            .progressConsumer(progress::add)
            .resourcesUpdateConsumer(contents -> contents.forEach(c -> updated.add(c.uri())))
            .build();
  }

  @Override
  public void close() {
    client.closeGracefully();
  }

  /** The tool's JSON result; fails the test on an isError result. */
  JsonNode call(String tool, Map<String, Object> args) throws Exception {
    var result = callRaw(tool, args, null);
    assertFalse(Boolean.TRUE.equals(result.isError()), tool + " failed: " + text(result));
    return JSON.readTree(text(result));
  }

  McpSchema.CallToolResult callRaw(String tool, Map<String, Object> args, Object progressToken) {
    var request = McpSchema.CallToolRequest.builder(tool).arguments(args);
    if (progressToken != null) {
      request.progressToken(progressToken);
    }
    return client.callTool(request.build());
  }

  static String text(McpSchema.CallToolResult result) {
    return ((McpSchema.TextContent) result.content().get(0)).text();
  }

  /** isError with a message that contains {@code expected}. */
  void refused(String tool, Map<String, Object> args, String expected) {
    var result = callRaw(tool, args, null);
    assertTrue(Boolean.TRUE.equals(result.isError()), tool + " should fail: " + text(result));
    assertTrue(text(result).contains(expected), tool + ": " + text(result));
  }

  void initializeAndList() {
    var init = client.initialize();
    assertEquals("multiagent-hive-mcp", init.serverInfo().name());
    var tools = client.listTools().tools();
    assertEquals(TOOLS, tools.stream().map(McpSchema.Tool::name).collect(Collectors.toSet()));
    for (var t : tools) {
      assertEquals("object", t.inputSchema().get("type"), t.name());
      assertNotNull(t.annotations(), t.name());
      assertNotNull(t.description(), t.name());
    }
    assertTrue(annotation(tools, "get_swarm_status").readOnlyHint());
    assertTrue(annotation(tools, "cancel_task").destructiveHint());
    assertEquals(
        List.of("hive://status"),
        client.listResources().resources().stream().map(McpSchema.Resource::uri).toList());
    assertEquals(
        Set.of("hive://agents/{id}", "hive://tasks/{id}"),
        client.listResourceTemplates().resourceTemplates().stream()
            .map(McpSchema.ResourceTemplate::uriTemplate)
            .collect(Collectors.toSet()));
  }

  private static McpSchema.ToolAnnotations annotation(List<McpSchema.Tool> tools, String name) {
    return tools.stream()
        .filter(t -> t.name().equals(name))
        .findFirst()
        .orElseThrow()
        .annotations();
  }

  /** Every tool, with its effect checked over REST. */
  void everyTool() throws Exception {
    JsonNode made =
        call(
            "create_swarm_agent",
            Map.of(
                "type",
                "Worker",
                "name",
                "mcp-nlp",
                "capabilities",
                List.of(Map.of("name", "nlp", "proficiency", 1.0))));
    String agent = made.get("agent_id").asText();
    assertEquals(
        "nlp", rest.get("/api/agents/" + agent).json().at("/capabilities/0/name").asText());
    JsonNode batch =
        call(
            "batch_create_agents",
            Map.of(
                "agents",
                List.of(
                    Map.of(
                        "type", "learner", "specialization", "fragile", "skill", "text-analysis"),
                    Map.of("type", "bogus"))));
    assertEquals(1, batch.get("total_created").asInt());
    assertTrue(batch.at("/failed/0/error").asText().startsWith("agents[1].type"), batch.toString());
    String learner = batch.at("/created/0/agent_id").asText();
    assertEquals("learner", rest.get("/api/agents/" + learner).json().get("type").asText());

    JsonNode assigned =
        call(
            "assign_swarm_task",
            Map.of(
                "description",
                "summarise the logs",
                "priority",
                "High",
                "task_type",
                "analysis",
                "required_capabilities",
                List.of(Map.of("name", "nlp", "minimum_proficiency", 0.5))));
    String task = assigned.get("task_id").asText();
    var byRest = rest.get("/api/tasks/" + task).json();
    assertEquals("high", byRest.get("priority").asText());
    assertEquals("analysis", byRest.get("type").asText());

    var waited = callRaw("wait_for_task", Map.of("task_id", task, "timeout_seconds", 60), "p-1");
    JsonNode done = JSON.readTree(text(waited));
    assertEquals("completed", done.get("status").asText(), done.toString());
    assertEquals("completed", rest.get("/api/tasks/" + task).json().get("status").asText());
    Eventually.eventually(
        () -> progress.stream().anyMatch(p -> p.progress() == 3.0) ? true : null,
        "the last progress notification");
    assertTrue(progress.stream().allMatch(p -> "p-1".equals(p.progressToken())));

    assertTrue(call("explain_task", Map.of("task_id", task)).toString().contains(agent));
    assertTrue(call("task_history", Map.of("task_id", task)).toString().contains("TaskCompleted"));
    assertEquals(task, call("get_task_details", Map.of("task_id", task)).get("id").asText());
    assertEquals(
        "mcp-nlp", call("get_agent_details", Map.of("agent_id", agent)).get("name").asText());

    JsonNode submitted =
        call(
            "submit_task",
            Map.of(
                "title",
                "nobody can",
                "priority",
                "critical",
                "required_capabilities",
                List.of(Map.of("name", "quantum", "minimum_proficiency", 0.9))));
    String stuck = submitted.get("id").asText();
    assertEquals("critical", rest.get("/api/tasks/" + stuck).json().get("priority").asText());
    // the advice reads the lists and counts, which follow the journal within a second or so
    JsonNode advice =
        Eventually.eventually(
            () -> {
              JsonNode a = call("coordinate_agents", Map.of("strategy", "aggressive"));
              return a.at("/uncovered_capabilities/quantum").asInt() == 1 ? a : null;
            },
            "advice that names the capability nobody has");
    assertTrue(advice.toString().contains("missing_capability"));
    call("cancel_task", Map.of("task_id", stuck));
    assertEquals("cancelled", rest.get("/api/tasks/" + stuck).json().get("status").asText());

    JsonNode fragile =
        call(
            "submit_task",
            Map.of(
                "title",
                "no text to read",
                "max_attempts",
                1,
                "required_capabilities",
                List.of(Map.of("name", "fragile", "minimum_proficiency", 0.1))));
    String failing = fragile.get("id").asText();
    rest.getUntil(
        "/api/tasks/" + failing, r -> r.json().get("status").asText().equals("failed"), "a fail");
    call("retry_task", Map.of("task_id", failing));
    rest.getUntil(
        "/api/tasks/" + failing + "/history",
        r -> r.body().contains("TaskRetryRequested"),
        "the retry in the task's history");

    call("pause_agent", Map.of("agent_id", agent));
    assertEquals("paused", rest.get("/api/agents/" + agent).json().get("state").asText());
    call("resume_agent", Map.of("agent_id", agent));
    assertNotEquals("paused", rest.get("/api/agents/" + agent).json().get("state").asText());

    rest.getUntil("/api/agents?capability=nlp", r -> r.body().contains(agent), "the agent listed");
    assertTrue(call("list_agents", Map.of("capability", "nlp")).toString().contains(agent));
    rest.getUntil("/api/tasks?status=cancelled", r -> r.body().contains(stuck), "the task listed");
    assertTrue(call("list_tasks", Map.of("status", "cancelled")).toString().contains(stuck));

    JsonNode status = call("get_swarm_status", Map.of());
    assertEquals(rest.get("/api/hive/status").json().get("hive_id"), status.get("hive_id"));
    JsonNode nlp = call("analyze_with_nlp", Map.of("text", "I love this great hub. It works."));
    assertEquals("positive", nlp.get("sentiment").asText(), nlp.toString());
    assertEquals(7, nlp.get("word_count").asInt(), nlp.toString());
    assertEquals("hi", call("echo", Map.of("message", "hi")).get("echo").asText());
    JsonNode system = call("system_info", Map.of());
    assertTrue(system.get("cpu_count").asInt() > 0, system.toString());
    assertNotNull(system.get("hardware_class"));
    JsonNode then = call("hive_state_at", Map.of("at", Instant.now().toString()));
    assertTrue(then.toString().contains(agent), then.toString());
    JsonNode audit = call("audit_events", Map.of("entity_kind", "task", "limit", 3));
    assertEquals(3, audit.get("events").size());
    assertTrue(audit.get("next_from_offset").asLong() > 0);
  }

  /** Failures are isError results that say what was wrong, never protocol errors. */
  void failuresAreToolErrors() {
    refused("get_task_details", Map.of("task_id", "no-such-task"), "404");
    refused("wait_for_task", Map.of("task_id", "no-such-task"), "404");
    refused("get_task_details", Map.of("task_id", "../keys"), "task_id");
    refused("submit_task", Map.of("title", "x", "priority", "urgent"), "priority");
    refused("assign_swarm_task", Map.of("description", "x", "priority", "urgent"), "priority");
    refused("create_swarm_agent", Map.of("type", "wizard"), "type");
    refused("echo", Map.of("message", "x", "mesage", "typo"), "mesage");
    refused("audit_events", Map.of("entity_kind", "planet"), "entity_kind");
    var error =
        assertThrows(
            McpError.class,
            () ->
                client.readResource(
                    McpSchema.ReadResourceRequest.builder("hive://tasks/no-such").build()));
    assertEquals(McpSchema.ErrorCodes.RESOURCE_NOT_FOUND, error.getJsonRpcError().code());
  }

  /** Resources read as JSON; a subscribed task that changes sends resources/updated. */
  void resourcesAndSubscriptions() throws Exception {
    var status =
        client.readResource(McpSchema.ReadResourceRequest.builder("hive://status").build());
    var contents = (McpSchema.TextResourceContents) status.contents().get(0);
    assertEquals("application/json", contents.mimeType());
    assertTrue(JSON.readTree(contents.text()).has("queue_depth"));
    String task =
        call(
                "submit_task",
                Map.of(
                    "title",
                    "waits for a latecomer",
                    "required_capabilities",
                    List.of(Map.of("name", "latecomer", "minimum_proficiency", 0.1))))
            .get("id")
            .asText();
    String uri = "hive://tasks/" + task;
    var read = client.readResource(McpSchema.ReadResourceRequest.builder(uri).build());
    assertEquals(
        "pending",
        JSON.readTree(((McpSchema.TextResourceContents) read.contents().get(0)).text())
            .get("status")
            .asText());
    client.subscribeResource(McpSchema.SubscribeRequest.builder(uri).build());
    var agent =
        rest.post(
            "/api/agents",
            "{\"name\": \"latecomer\", \"type\": \"worker\", \"capabilities\":"
                + " [{\"name\": \"latecomer\", \"proficiency\": 1.0}]}");
    assertEquals(201, agent.status(), agent.body());
    Eventually.eventually(
        () -> updated.contains(uri) ? true : null, "resources/updated for " + uri);
  }
}
