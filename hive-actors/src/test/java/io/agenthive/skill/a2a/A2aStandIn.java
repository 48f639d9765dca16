package io.agenthive.skill.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
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

  /** Writes a whole streamed answer itself, raw: for streams that misbehave. */
  interface RawStream {
    void write(OutputStream body, CountDownLatch closing) throws IOException, InterruptedException;
  }

  private final HttpServer server;
  // one thread per exchange: a stream held open must not stop the calls that follow it
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final CountDownLatch closing = new CountDownLatch(1);
  private volatile String card;
  private final Map<String, Function<JsonNode, String>> results = new ConcurrentHashMap<>();
  private final Map<String, RawStream> rawStreams = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();
  final List<Call> calls = new CopyOnWriteArrayList<>();

  A2aStandIn() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/.well-known/agent-card.json", this::card);
    server.createContext("/rpc", this::rpc);
    server.setExecutor(threads);
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

  /** {@code method}'s answer is a stream {@code raw} writes (it may wait for {@code closing}). */
  A2aStandIn streamRaw(String method, RawStream raw) {
    rawStreams.put(method, raw);
    return this;
  }

  /** The next {@code times} calls of {@code method} are answered with HTTP {@code status}. */
  A2aStandIn failing(String method, int times, int status) {
    failuresLeft.put(method, new AtomicInteger(times));
    failureStatus = status;
    return this;
  }

  private volatile int failureStatus;

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
    AtomicInteger failures = failuresLeft.get(method);
    if (failures != null && failures.getAndDecrement() > 0) {
      reply(x, failureStatus, "{}");
      return;
    }
    RawStream raw = rawStreams.get(method);
    if (raw != null) {
      x.getResponseHeaders().add("Content-Type", "text/event-stream");
      x.sendResponseHeaders(200, 0);
      try (OutputStream body = x.getResponseBody()) {
        raw.write(body, closing);
      } catch (IOException | InterruptedException e) {
        // the hub closed the stream: what these tests want to see it do
      }
      x.close();
      return;
    }
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
    closing.countDown();
    server.stop(0);
    threads.shutdownNow();
  }
}
