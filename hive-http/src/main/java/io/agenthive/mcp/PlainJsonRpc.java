package io.agenthive.mcp;

import static akka.http.javadsl.server.Directives.*;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.unmarshalling.Unmarshaller;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import java.time.Instant;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * The seed hub's MCP over HTTP, for its clients: {@code POST /api/mcp} takes one JSON-RPC message
 * and answers plain JSON (a notification gets 202 and no body), served by the SDK's stateless
 * server; {@code GET /api/mcp/health} answers the seed's health shape from the live status. A tool
 * call with bad arguments is answered as the seed did, with a JSON-RPC -32602 error: the server
 * behind this transport is built with {@link ArgumentErrors#JSON_RPC_ERROR}, so the answers need no
 * rewriting here.
 */
final class PlainJsonRpc implements McpStatelessServerTransport {
  private final Function<McpTransportContext, HubApi.Caller> callers;
  private final int maxName;
  private volatile McpStatelessServerHandler handler;

  PlainJsonRpc(Function<McpTransportContext, HubApi.Caller> callers, int maxName) {
    this.callers = callers;
    this.maxName = maxName;
  }

  @Override
  public void setMcpHandler(McpStatelessServerHandler handler) {
    this.handler = handler;
  }

  @Override
  public Mono<Void> closeGracefully() {
    return Mono.empty();
  }

  /** Inside {@code /api}. */
  Route route() {
    return pathPrefix(
        "mcp",
        () ->
            concat(
                pathEnd(() -> post(this::message)),
                path("health", () -> get(() -> extractRequest(this::health)))));
  }

  /** One JSON-RPC message, answered as its caller (the request carries their credential). */
  private Route message() {
    return extractRequest(
        request -> entity(Unmarshaller.entityToString(), body -> answer(request, body)));
  }

  private Route answer(HttpRequest request, String body) {
    McpSchema.JSONRPCMessage message;
    try {
      message = McpSchema.deserializeJsonRpcMessage(McpServers.MAPPER, body);
    } catch (Exception e) {
      return complete(
          error(
              McpSchema.ErrorCodes.PARSE_ERROR, "not a JSON-RPC message: " + McpServers.reason(e)));
    }
    McpTransportContext context = McpCallers.context(request);
    if (message instanceof McpSchema.JSONRPCRequest r
        && r.method().equals(McpSchema.METHOD_INITIALIZE)) {
      String problem = ClientInfo.problem(McpServers.MAPPER, r.params(), maxName);
      if (problem != null) {
        return complete(error(McpSchema.ErrorCodes.INVALID_PARAMS, problem));
      }
    }
    if (message instanceof McpSchema.JSONRPCRequest r) {
      return completeWithFuture(
          handler.handleRequest(context, r).map(PlainJsonRpc::json).toFuture());
    }
    if (message instanceof McpSchema.JSONRPCNotification n) {
      return completeWithFuture(
          handler
              .handleNotification(context, n)
              .onErrorComplete()
              .then(Mono.just(HttpResponse.create().withStatus(StatusCodes.ACCEPTED)))
              .toFuture());
    }
    return complete(
        error(McpSchema.ErrorCodes.INVALID_REQUEST, "this server sends no requests to answer"));
  }

  private Route health(HttpRequest request) {
    return completeWithFuture(
        callers
            .apply(McpCallers.context(request))
            .async("GET", "/api/hive/status")
            .thenApply(PlainJsonRpc::health));
  }

  private static HttpResponse health(HubApi.Reply reply) {
    ObjectNode metrics = SwarmMetrics.of(reply.json());
    ObjectNode out = HubApi.JSON.createObjectNode();
    out.put("service", "mcp-http");
    out.put("status", reply.status() == 200 ? "healthy" : "degraded");
    out.put("hive_connected", reply.status() == 200);
    out.set("total_agents", metrics.get("total_agents"));
    out.set("active_agents", metrics.get("active_agents"));
    out.put("timestamp", Instant.now().toString());
    return HttpResponse.create().withEntity(ContentTypes.APPLICATION_JSON, out.toString());
  }

  private static HttpResponse error(int code, String message) {
    return HttpResponse.create()
        .withEntity(ContentTypes.APPLICATION_JSON, McpServers.errorWithoutId(code, message));
  }

  private static HttpResponse json(McpSchema.JSONRPCResponse response) {
    try {
      return HttpResponse.create()
          .withEntity(
              ContentTypes.APPLICATION_JSON, McpServers.MAPPER.writeValueAsString(response));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("a JSON-RPC answer that cannot be written", e);
    }
  }
}
