package io.agenthive.skill;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * An external MCP server for agents' tool loops, built from the MCP SDK's own server classes (its
 * servlet Streamable HTTP transport in Jetty) on a free loopback port. Tools: {@code lookup}
 * (echoes its {@code key} as {@code value-of-<key>}) and {@code wipe} (never to be allowed).
 * Records every call with the attempt id the hub put in {@code _meta}.
 */
public final class McpToolServer implements AutoCloseable {
  public record Call(String tool, Map<String, Object> arguments, Object attemptId) {}

  private final Server jetty;
  private final McpSyncServer mcp;
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final java.util.concurrent.CountDownLatch released =
      new java.util.concurrent.CountDownLatch(1);
  private volatile boolean holdFirst;

  public McpToolServer() throws Exception {
    var mapper = new JacksonMcpJsonMapper(new ObjectMapper());
    HttpServletStreamableServerTransportProvider transport =
        HttpServletStreamableServerTransportProvider.builder()
            .jsonMapper(mapper)
            .mcpEndpoint("/mcp")
            .build();
    this.mcp =
        McpServer.sync(transport)
            .serverInfo("test-tools", "1")
            .jsonMapper(mapper)
            .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
            .tools(tool("lookup", "Looks a key up."), tool("wipe", "Deletes everything."))
            .build();
    jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new ServletHolder(transport), "/*");
    jetty.setHandler(context);
    jetty.start();
  }

  private McpServerFeatures.SyncToolSpecification tool(String name, String description) {
    McpSchema.Tool tool =
        McpSchema.Tool.builder(
                name,
                Map.of(
                    "type", "object",
                    "properties", Map.of("key", Map.of("type", "string", "description", "a key")),
                    "required", List.of("key")))
            .description(description)
            .build();
    return new McpServerFeatures.SyncToolSpecification(
        tool,
        (exchange, request) -> {
          Object attempt =
              request.meta() == null ? null : request.meta().get("io.agenthive/attempt_id");
          calls.add(new Call(name, request.arguments(), attempt));
          if (holdFirst && calls.size() == 1) {
            try {
              released.await(); // until close: the caller is killed meanwhile
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return McpSchema.CallToolResult.builder()
              .addTextContent("value-of-" + request.arguments().get("key"))
              .isError(false)
              .build();
        });
  }

  /** The first call is held unanswered until {@link #close} (a caller killed mid-call). */
  public void holdFirstCall() {
    holdFirst = true;
  }

  public String url() {
    return "http://127.0.0.1:"
        + ((ServerConnector) jetty.getConnectors()[0]).getLocalPort()
        + "/mcp";
  }

  public List<Call> calls() {
    return List.copyOf(calls);
  }

  @Override
  public void close() throws Exception {
    released.countDown();
    mcp.close();
    jetty.stop();
  }
}
