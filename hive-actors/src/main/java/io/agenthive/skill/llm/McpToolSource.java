package io.agenthive.skill.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agenthive.skill.guard.EgressPolicy;
import io.agenthive.skill.guard.ProviderFailure;
import io.agenthive.skill.tools.ToolAnswer;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One MCP server for one attempt, through the MCP Java SDK's Streamable HTTP client: connected when
 * the attempt's loop starts, asked for its tools (only those the agent's {@code allow} names are
 * kept), called, and closed when the loop ends. A server is checked against the skills' egress
 * policy before it is reached (once per attempt: the SDK's client resolves the host again for a new
 * connection, so a name that changes what it resolves to within an attempt is not caught); its
 * answers are capped at {@code hive.tools.mcp-max-answer-bytes}. Each call carries the attempt's id
 * in {@code _meta} ({@code io.agenthive/attempt_id}): a server with side effects can use it as an
 * idempotency key.
 */
final class McpToolSource implements AutoCloseable {
  static final String ATTEMPT_META = "io.agenthive/attempt_id";
  private static final int MAX_PAGES = 10;
  private static final JacksonMcpJsonMapper MAPPER = new JacksonMcpJsonMapper(new ObjectMapper());

  private final ToolsConfig.McpServer server;
  private final McpSyncClient client;
  private final List<McpSchema.Tool> tools;

  private McpToolSource(
      ToolsConfig.McpServer server, McpSyncClient client, List<McpSchema.Tool> tools) {
    this.server = server;
    this.client = client;
    this.tools = tools;
  }

  /** Connects and lists the allowed tools; a server that cannot be reached fails the attempt. */
  static McpToolSource connect(
      ToolsConfig.McpServer server, EgressPolicy egress, Duration timeout, int maxAnswerBytes) {
    URI url = URI.create(server.url());
    egress.check(url);
    String base = url.getScheme() + "://" + url.getRawAuthority();
    String path =
        url.getRawPath() == null || url.getRawPath().isEmpty() ? "/mcp" : url.getRawPath();
    String endpoint = url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
    // named in errors by host and port only: a URL's user info must not reach the journal
    String where = io.agenthive.skill.guard.Unreachable.hostAndPort(server.url());
    HttpClientStreamableHttpTransport transport =
        HttpClientStreamableHttpTransport.builder(base)
            .endpoint(endpoint)
            .jsonMapper(MAPPER)
            .connectTimeout(timeout)
            .maxResponseSize(maxAnswerBytes)
            .openConnectionOnStartup(false)
            .build();
    McpSyncClient client;
    try {
      client =
          McpClient.sync(transport)
              .requestTimeout(timeout)
              .initializationTimeout(timeout)
              .clientInfo(new McpSchema.Implementation("agent-hive-llm-skill", "1"))
              .build();
    } catch (RuntimeException e) {
      transport.close();
      throw e;
    }
    try {
      client.initialize();
      List<McpSchema.Tool> allowed = new ArrayList<>();
      String cursor = null;
      for (int page = 0; page < MAX_PAGES; page++) {
        McpSchema.ListToolsResult listed = client.listTools(cursor);
        for (McpSchema.Tool t : listed.tools()) {
          if (server.allow().contains(t.name())) {
            allowed.add(t);
          }
        }
        cursor = listed.nextCursor();
        if (cursor == null) {
          break;
        }
      }
      return new McpToolSource(server, client, List.copyOf(allowed));
    } catch (RuntimeException e) {
      client.close();
      throw ProviderFailure.transientError(
          "MCP server "
              + server.name()
              + " at "
              + where
              + " could not be used: "
              + ProviderFailure.abbreviate(String.valueOf(e.getMessage())));
    }
  }

  String name() {
    return server.name();
  }

  /** The allowed tools this server offers. */
  List<McpSchema.Tool> tools() {
    return tools;
  }

  ToolAnswer call(String tool, Map<String, Object> arguments, String attemptId) {
    try {
      McpSchema.CallToolResult result =
          client.callTool(
              McpSchema.CallToolRequest.builder()
                  .name(tool)
                  .arguments(arguments)
                  .meta(Map.of(ATTEMPT_META, attemptId))
                  .build());
      StringBuilder text = new StringBuilder();
      for (McpSchema.Content c :
          result.content() == null ? List.<McpSchema.Content>of() : result.content()) {
        if (c instanceof McpSchema.TextContent t) {
          text.append(t.text());
        }
      }
      if (text.isEmpty() && result.structuredContent() != null) {
        text.append(MAPPER.writeValueAsString(result.structuredContent()));
      }
      return Boolean.TRUE.equals(result.isError())
          ? ToolAnswer.error(text.toString())
          : ToolAnswer.ok(text.toString());
    } catch (Exception e) {
      return ToolAnswer.error(
          "the MCP server "
              + server.name()
              + " failed the call: "
              + ProviderFailure.abbreviate(String.valueOf(e.getMessage())));
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
