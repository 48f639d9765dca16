package io.agenthive.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Builds the hive's MCP servers on the SDK: one tool set and one resource set, served over stdio
 * ({@code ./hive mcp}), Streamable HTTP ({@code /mcp}) and the seed hub's plain JSON-RPC ({@code
 * POST /api/mcp}, stateless: no progress, no subscriptions). The server calls itself {@code
 * multiagent-hive-mcp}, as the seed hub did, so its clients recognise it.
 */
public final class McpServers {
  public static final String NAME = "multiagent-hive-mcp";
  private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(11); // wait_for_task: 10
  private static final String INSTRUCTIONS =
      "Agent Hive routes tasks to the best-fitting agent and runs them. submit_task, then"
          + " wait_for_task; explain_task says why an agent was chosen. Every tool acts with the"
          + " key this server was given, and that key's role decides what it may do.";

  /** The SDK's JSON: its own mapper, so MCP's field names never meet the API's snake_case. */
  static final McpJsonMapper MAPPER = new JacksonMcpJsonMapper(new ObjectMapper());

  private final List<HiveTool> tools;
  private final String version;
  private final Function<McpTransportContext, HubApi.Caller> callers;

  McpServers(String version, Function<McpTransportContext, HubApi.Caller> callers, Duration poll) {
    this.version = version;
    this.callers = callers;
    TaskWaiter waiter = new TaskWaiter(poll);
    this.tools =
        java.util.stream.Stream.of(
                SeedTools.all(), HiveTools.all(waiter), HumanTools.all(), ScheduleTools.all())
            .flatMap(List::stream)
            .toList();
  }

  List<HiveTool> tools() {
    return tools;
  }

  McpSyncServer stdio(McpServerTransportProvider transport, SubscriptionWatcher watcher) {
    return watched(sessionful(McpServer.sync(transport)), watcher);
  }

  McpSyncServer streamable(
      McpStreamableServerTransportProvider transport, SubscriptionWatcher watcher) {
    return watched(sessionful(McpServer.sync(transport)), watcher);
  }

  private McpSyncServer watched(McpSyncServer server, SubscriptionWatcher watcher) {
    watcher.onUpdate(
        uri -> server.notifyResourcesUpdated(new McpSchema.ResourcesUpdatedNotification(uri)));
    return server;
  }

  private McpSyncServer sessionful(McpServer.SyncSpecification<?> spec) {
    return spec.serverInfo(
            McpSchema.Implementation.builder(NAME, version).title("Agent Hive MCP").build())
        .instructions(INSTRUCTIONS)
        .requestTimeout(REQUEST_TIMEOUT)
        .jsonMapper(MAPPER)
        .capabilities(
            McpSchema.ServerCapabilities.builder().tools(false).resources(true, false).build())
        .tools(tools.stream().map(this::sessionTool).toList())
        .resources(
            new McpServerFeatures.SyncResourceSpecification(
                HiveResources.status(),
                (exchange, request) ->
                    HiveResources.read(request, exchange.transportContext(), callers)))
        .resourceTemplates(
            HiveResources.templates().stream()
                .map(
                    t ->
                        new McpServerFeatures.SyncResourceTemplateSpecification(
                            t,
                            (exchange, request) ->
                                HiveResources.read(request, exchange.transportContext(), callers)))
                .toList())
        .build();
  }

  McpStatelessSyncServer stateless(McpStatelessServerTransport transport) {
    return McpServer.sync(transport)
        .serverInfo(McpSchema.Implementation.builder(NAME, version).title("Agent Hive MCP").build())
        .instructions(INSTRUCTIONS)
        .requestTimeout(REQUEST_TIMEOUT)
        .jsonMapper(MAPPER)
        .capabilities(
            McpSchema.ServerCapabilities.builder().tools(false).resources(false, false).build())
        .tools(
            tools.stream()
                .map(
                    t ->
                        new McpStatelessServerFeatures.SyncToolSpecification(
                            t.definition(),
                            (context, request) ->
                                run(
                                    t,
                                    request,
                                    callers.apply(context),
                                    HiveTool.Progress.NONE,
                                    ArgumentErrors.JSON_RPC_ERROR)))
                .toList())
        // the tools check their own arguments, so a bad one gets the seed's phrase, not the
        // schema validator's isError text
        .validateToolInputs(false)
        .resources(
            new McpStatelessServerFeatures.SyncResourceSpecification(
                HiveResources.status(),
                (context, request) -> HiveResources.read(request, context, callers)))
        .resourceTemplates(
            HiveResources.templates().stream()
                .map(
                    t ->
                        new McpStatelessServerFeatures.SyncResourceTemplateSpecification(
                            t, (context, request) -> HiveResources.read(request, context, callers)))
                .toList())
        .build();
  }

  private McpServerFeatures.SyncToolSpecification sessionTool(HiveTool tool) {
    return new McpServerFeatures.SyncToolSpecification(
        tool.definition(),
        (exchange, request) ->
            run(
                tool,
                request,
                callers.apply(exchange.transportContext()),
                progress(exchange, request),
                ArgumentErrors.TOOL_RESULT));
  }

  private static HiveTool.Progress progress(
      McpSyncServerExchange exchange, McpSchema.CallToolRequest request) {
    Object token = request.progressToken();
    if (token == null) {
      return HiveTool.Progress.NONE;
    }
    return (done, total, message) ->
        exchange.progressNotification(
            McpSchema.ProgressNotification.builder(token, done)
                .total(total)
                .message(message)
                .build());
  }

  /**
   * A JSON-RPC error for a message whose id could not be read: {@code "id": null}, as JSON-RPC asks
   * (the SDK's response type refuses a null id).
   */
  static String errorWithoutId(int code, String message) {
    var body = HubApi.JSON.createObjectNode().put("jsonrpc", "2.0").putNull("id");
    body.putObject("error").put("code", code).put("message", message);
    return body.toString();
  }

  /** A parser's complaint without the location lines it appends. */
  static String reason(Exception e) {
    String m = String.valueOf(e.getMessage());
    int newline = m.indexOf('\n');
    return newline < 0 ? m : m.substring(0, newline);
  }

  /**
   * One call: the tool's value as JSON text (and the same JSON as structured content), or its
   * failure answered as this endpoint answers failures.
   */
  static McpSchema.CallToolResult run(
      HiveTool tool,
      McpSchema.CallToolRequest request,
      HubApi.Caller hub,
      HiveTool.Progress progress,
      ArgumentErrors argumentErrors) {
    try {
      Args args = Args.of(request.arguments(), tool.arguments());
      JsonNode value =
          HubApi.JSON.valueToTree(tool.handler().handle(new HiveTool.Call(args, hub, progress)));
      var result =
          McpSchema.CallToolResult.builder().addTextContent(value.toString()).isError(false);
      if (value.isObject()) {
        result.structuredContent(HubApi.JSON.convertValue(value, Map.class));
      }
      return result.build();
    } catch (ToolFailure e) {
      return argumentErrors.answer(e);
    }
  }
}
