package io.agenthive.referenceworker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The reference remote worker (docs/worker-protocol.md), in plain Java with the JDK's WebSocket
 * client: registers (or resumes with {@code agentId}), accepts every task, "works" for {@code
 * workMs}, answers with a result echoing the input, and answers heartbeats. Run it with {@code
 * ./hive worker --name w1 --capability text=0.8}; the tests drive it in-process and as a separate
 * process.
 */
public final class ReferenceWorker implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What to connect to and how to behave. */
  public record Options(
      String url,
      String token,
      String name,
      String agentId,
      List<String> capabilities,
      long workMs) {}

  private final Options options;
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "reference-worker");
            t.setDaemon(true);
            return t;
          });
  private final CompletableFuture<String> registered = new CompletableFuture<>();
  private final List<JsonNode> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger completed = new AtomicInteger();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private CompletableFuture<WebSocket> sending;

  private ReferenceWorker(Options options) {
    this.options = options;
  }

  /** Connects and sends {@code register}; {@link #agentId()} waits for the answer. */
  public static ReferenceWorker connect(Options options) {
    ReferenceWorker w = new ReferenceWorker(options);
    w.sending =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .header("Authorization", "Bearer " + options.token())
            .connectTimeout(Duration.ofSeconds(10))
            .buildAsync(URI.create(options.url()), w.new Listener())
            .thenCompose(ws -> ws.sendText(w.registerFrame().toString(), true));
    w.sending.whenComplete(
        (ws, error) -> {
          if (error != null) { // refused (e.g. 401) or unreachable
            w.registered.completeExceptionally(error);
            w.closed.complete(null);
          }
        });
    return w;
  }

  private ObjectNode registerFrame() {
    // no agent_type: the hub's default (worker) is what this worker is
    ObjectNode f =
        JSON.createObjectNode()
            .put("type", "register")
            .put("name", options.name())
            .put("max_concurrency", 1);
    if (options.agentId() != null) {
      f.put("agent_id", options.agentId());
    }
    ArrayNode caps = f.putArray("capabilities");
    for (String c : options.capabilities()) {
      String[] parts = c.split("=", 2);
      caps.addObject()
          .put("name", parts[0])
          .put("proficiency", parts.length > 1 ? Double.parseDouble(parts[1]) : 0.5);
    }
    return f;
  }

  public String agentId() throws Exception {
    return registered.get(30, TimeUnit.SECONDS);
  }

  public int completed() {
    return completed.get();
  }

  /** Every frame the hub sent, in order. */
  public List<JsonNode> received() {
    return List.copyOf(received);
  }

  /** Sends a frame as is: tests use it to speak the protocol badly on purpose. */
  public void sendRaw(String text) {
    sending = sending.thenCompose(ws -> ws.sendText(text, true));
  }

  public CompletableFuture<Void> closedByHub() {
    return closed;
  }

  private void onFrame(JsonNode f) {
    received.add(f);
    switch (f.path("type").asText()) {
      case "registered" -> registered.complete(f.path("agent_id").asText());
      case "heartbeat" -> sendRaw("{\"type\":\"heartbeat\"}");
      case "task_assigned" -> {
        String task = f.path("task_id").asText();
        int attempt = f.path("attempt").asInt();
        sendRaw(
            JSON.createObjectNode()
                .put("type", "accepted")
                .put("task_id", task)
                .put("attempt", attempt)
                .toString());
        scheduler.schedule(
            () -> {
              ObjectNode result =
                  JSON.createObjectNode()
                      .put("type", "result")
                      .put("task_id", task)
                      .put("attempt", attempt)
                      .put("quality_score", 0.9);
              result
                  .putObject("output")
                  .put("worker", options.name())
                  .put("title", f.path("title").asText())
                  .set("echo", f.path("input"));
              sendRaw(result.toString());
              completed.incrementAndGet();
            },
            options.workMs(),
            TimeUnit.MILLISECONDS);
      }
      case "error" -> System.err.println("hub: " + f.path("message").asText());
      default -> {}
    }
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        try {
          onFrame(JSON.readTree(text));
        } catch (Exception e) {
          System.err.println("unreadable frame from the hub: " + text);
        }
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
      closed.complete(null);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      registered.completeExceptionally(error);
      closed.complete(null);
    }
  }

  @Override
  public void close() {
    sending
        .thenCompose(ws -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye"))
        .orTimeout(5, TimeUnit.SECONDS)
        .exceptionally(e -> null)
        .join(); // allowed: close() is the caller's own blocking end of the worker, bounded to 5 s
    scheduler.shutdownNow();
  }

  /**
   * Runs until killed (for {@code ./hive worker}). When the socket ends (its node went away, say)
   * it connects again, to the next URL of the list, resuming the same agent.
   */
  public static void runUntilKilled(List<String> urls, Options first)
      throws InterruptedException, Refused {
    String agentId = first.agentId();
    long backoffMs = 500;
    for (int attempt = 0; ; attempt++) {
      String at = urls.get(attempt % urls.size());
      ReferenceWorker worker =
          connect(
              new Options(
                  at, first.token(), first.name(), agentId, first.capabilities(), first.workMs()));
      try {
        agentId = worker.agentId();
        backoffMs = 500;
        System.out.println("registered " + agentId); // its own line: scripts read the id
        System.out.println("connected to " + at);
        System.out.flush();
        worker.closedByHub().join(); // allowed: the command's main thread waits for the end
        System.out.println("the connection to " + at + " ended; connecting again");
      } catch (Exception e) {
        if (attempt == 0 && refusedCredentials(e)) {
          throw new Refused(
              "The hub at "
                  + at
                  + " refused the worker token: give a valid one"
                  + " with --token or HIVE_WORKER_TOKEN (./hive keys create --role worker).");
        }
        System.out.println(
            "could not register at "
                + at
                + " ("
                + Causes.unwrap(e)
                + ");"
                + " trying again in "
                + backoffMs
                + " ms");
      } finally {
        worker.close();
      }
      System.out.flush();
      Thread.sleep(backoffMs); // allowed: the command's own pause between reconnects
      backoffMs = Math.min(10_000, backoffMs * 2);
    }
  }

  /** The hub will not take this worker as configured; retrying would not help. */
  public static final class Refused extends Exception {
    Refused(String sentence) {
      super(sentence, null, false, false);
    }
  }

  private static boolean refusedCredentials(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof WebSocketHandshakeException h) {
        int status = h.getResponse().statusCode();
        return status == 401 || status == 403;
      }
    }
    return false;
  }
}
