package io.agenthive.skill.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A scripted A2A agent on the JDK's HTTP server, for edge cases the npm agent does not show: its
 * card, and for each JSON-RPC method the {@code result} (or a whole answer with {@code error}) to
 * give, as JSON text; every call is recorded with its {@code A2A-Version} header.
 */
final class A2aStandIn implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  /** {@code token}: the X-Token header, which the tests fill from headers_from_env. */
  record Call(String method, JsonNode params, String version, String token) {}

  private final HttpServer server;
  private volatile String card;
  private final Map<String, Function<JsonNode, String>> results = new ConcurrentHashMap<>();
  final List<Call> calls = new CopyOnWriteArrayList<>();

  A2aStandIn() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/.well-known/agent-card.json", this::card);
    server.createContext("/rpc", this::rpc);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  String rpcUrl() {
    return url() + "rpc";
  }

  A2aStandIn card(String json) {
    this.card = json;
    return this;
  }

  /** The result of {@code method}: JSON text, computed from the call's params. */
  A2aStandIn on(String method, Function<JsonNode, String> result) {
    results.put(method, result);
    return this;
  }

  List<String> methods() {
    return calls.stream().map(Call::method).toList();
  }

  private void card(HttpExchange x) throws IOException {
    reply(x, card == null ? 404 : 200, card == null ? "{}" : card);
  }

  private void rpc(HttpExchange x) throws IOException {
    JsonNode request = JSON.readTree(x.getRequestBody());
    String method = request.path("method").asText();
    calls.add(
        new Call(
            method,
            request.path("params"),
            x.getRequestHeaders().getFirst("A2A-Version"),
            x.getRequestHeaders().getFirst("X-Token")));
    Function<JsonNode, String> result = results.get(method);
    if (result != null && method.equals("SendStreamingMessage")) {
      stream(x, result.apply(request.path("params")));
      return;
    }
    String answer =
        result == null
            ? "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32601,\"message\":\"Method not found\"}}"
            : wrap(result.apply(request.path("params")));
    reply(x, 200, answer);
  }

  /** Each line of {@code events} is one event's result, sent as {@code data:} of an answer. */
  private static void stream(HttpExchange x, String events) throws IOException {
    x.getResponseHeaders().add("Content-Type", "text/event-stream");
    x.sendResponseHeaders(200, 0);
    for (String event : events.split("\n")) {
      x.getResponseBody().write(("data: " + wrap(event) + "\n\n").getBytes(StandardCharsets.UTF_8));
      x.getResponseBody().flush();
    }
    x.close();
  }

  private static String wrap(String result) {
    return result.startsWith("{\"jsonrpc\"")
        ? result
        : "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":" + result + "}";
  }

  private static void reply(HttpExchange x, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().add("Content-Type", "application/json");
    x.sendResponseHeaders(status, bytes.length);
    x.getResponseBody().write(bytes);
    x.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
