package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.*;

import io.agenthive.http.json.Json;
import io.agenthive.testing.Eventually;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Revocation reaches connections that are already open: an event stream, MCP session stream or
 * worker socket whose key is revoked, and a dashboard socket whose user is removed, are closed
 * within seconds, as every new request of theirs is refused at once.
 */
@Tag("database-neutral") // open connections closed on revocation: the edge, on any database
class LiveRevocationTest {
  @TempDir static Path dataDir;
  static ApiTestHub hub;

  @BeforeAll
  static void start() throws Exception {
    hub = ApiTestHub.start("LiveRevocationTest", dataDir, "");
  }

  @AfterAll
  static void stop() {
    hub.stop();
  }

  @Test
  void anEventStreamEndsWhenItsKeyIsRevoked() throws Exception {
    var made = hub.http.post("/api/keys", "{\"name\": \"stream-viewer\", \"role\": \"viewer\"}");
    assertEquals(201, made.status(), made.body());
    String key = made.json().get("key").asText();
    HttpClient client = HttpClient.newHttpClient();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(hub.http.base() + "/api/events?entity_kind=agent"))
            .header("Authorization", "Bearer " + key)
            .header("Accept", "text/event-stream")
            .build();
    HttpResponse<Stream<String>> response =
        client.send(request, HttpResponse.BodyHandlers.ofLines());
    assertEquals(200, response.statusCode());
    CompletableFuture<Void> ended =
        CompletableFuture.runAsync(() -> response.body().forEach(lines::add));

    hub.http.post("/api/agents", "{\"name\": \"seen-live\", \"type\": \"worker\"}");
    waitForLine(lines, "seen-live");
    assertEquals(
        200, hub.http.method("DELETE", "/api/keys/" + made.json().get("id").asText()).status());
    ended.get(10, TimeUnit.SECONDS); // the hub ends the stream: the body completes, no error
  }

  @Test
  void aDashboardSocketClosesWhenItsUserIsRemoved() throws Exception {
    socketClosesAfter("watcher", "viewer", () -> hub.http.method("DELETE", "/api/users/watcher"));
  }

  /** A demoted admin's socket must not go on creating agents with the role it opened with. */
  @Test
  void aDashboardSocketClosesWhenItsUserIsDemoted() throws Exception {
    socketClosesAfter(
        "demoted",
        "admin",
        () -> hub.http.method("PATCH", "/api/users/demoted", "{\"role\": \"viewer\"}"));
  }

  /**
   * A remote worker whose key is revoked is told why and closed on; its agent goes disconnected
   * (its attempts then follow the worker-went-away rules), and it cannot come back with that key.
   */
  @Test
  void aWorkerSocketIsToldWhyAndClosedWhenItsKeyIsRevoked() throws Exception {
    var made = hub.http.post("/api/keys", "{\"name\": \"remote-worker\", \"role\": \"worker\"}");
    assertEquals(201, made.status(), made.body());
    String key = made.json().get("key").asText();
    BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    CompletableFuture<Integer> closed = new CompletableFuture<>();
    WebSocket socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .header("Authorization", "Bearer " + key)
            .buildAsync(
                URI.create("ws://127.0.0.1:" + hub.http.port + "/ws/worker"),
                listener(frames, closed))
            .get(10, TimeUnit.SECONDS);
    socket.sendText(
        "{\"type\": \"register\", \"name\": \"revoked-worker\", \"capabilities\":"
            + " [{\"name\": \"live.revoke\", \"proficiency\": 0.8}]}",
        true);
    String registered = waitForLine(frames, "\"registered\"");
    String agentId = Json.MAPPER.readTree(registered).get("agent_id").asText();
    assertFalse(closed.isDone());

    assertEquals(
        200, hub.http.method("DELETE", "/api/keys/" + made.json().get("id").asText()).status());
    closed.get(10, TimeUnit.SECONDS); // the hub closes it
    assertTrue(
        frames.stream().anyMatch(f -> f.contains("\"error\"") && f.contains("access ended")),
        "the worker was told why: " + frames);
    hub.http.getUntil(
        "/api/agents/" + agentId,
        r -> r.json().path("state").asText().equals("disconnected"),
        "the revoked worker's agent to be disconnected");
    var again = hub.http.as(key).get("/ws/worker");
    assertEquals(401, again.status(), "the revoked key opens no new socket: " + again.body());
    socket.abort();
  }

  /** MCP's session stream (GET /mcp) is an event stream like the others: revocation ends it. */
  @Test
  void anMcpSessionStreamEndsWhenItsKeyIsRevoked() throws Exception {
    var made = hub.http.post("/api/keys", "{\"name\": \"mcp-watcher\", \"role\": \"viewer\"}");
    assertEquals(201, made.status(), made.body());
    String key = made.json().get("key").asText();
    var init =
        hub.http
            .as(key)
            .post(
                "/mcp",
                "{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"initialize\", \"params\":"
                    + " {\"protocolVersion\": \"2025-03-26\", \"capabilities\": {},"
                    + " \"clientInfo\": {\"name\": \"revocation-test\", \"version\": \"1\"}}}",
                "Accept",
                "application/json, text/event-stream");
    assertEquals(200, init.status(), init.body());
    String session = init.header("Mcp-Session-Id");
    assertNotNull(session, "initialize names the session");
    HttpResponse<Stream<String>> stream =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(hub.http.base() + "/mcp"))
                    .header("Authorization", "Bearer " + key)
                    .header("Accept", "text/event-stream")
                    .header("Mcp-Session-Id", session)
                    .build(),
                HttpResponse.BodyHandlers.ofLines());
    assertEquals(200, stream.statusCode());
    CompletableFuture<Void> ended =
        CompletableFuture.runAsync(() -> stream.body().forEach(l -> {}));
    assertFalse(ended.isDone());

    assertEquals(
        200, hub.http.method("DELETE", "/api/keys/" + made.json().get("id").asText()).status());
    ended.get(10, TimeUnit.SECONDS); // the hub ends the stream: the body completes, no error
  }

  private static WebSocket.Listener listener(
      BlockingQueue<String> frames, CompletableFuture<Integer> closed) {
    return new WebSocket.Listener() {
      private final StringBuilder partial = new StringBuilder();

      @Override
      public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
          frames.add(partial.toString());
          partial.setLength(0);
        }
        ws.request(1);
        return null;
      }

      @Override
      public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
        closed.complete(status);
        return null;
      }

      @Override
      public void onError(WebSocket ws, Throwable error) {
        closed.completeExceptionally(error);
      }
    };
  }

  interface Change {
    HttpTestClient.Reply apply() throws Exception;
  }

  private static void socketClosesAfter(String user, String role, Change change) throws Exception {
    assertEquals(
        201,
        hub.http
            .post(
                "/api/users",
                "{\"username\": \""
                    + user
                    + "\", \"password\": \"correct horse\", \"role\": \""
                    + role
                    + "\"}")
            .status());
    var login =
        hub.http
            .as(null)
            .post(
                "/api/auth/login",
                "{\"username\": \"" + user + "\", \"password\": \"correct horse\"}");
    assertEquals(200, login.status(), login.body());
    String token = login.json().get("token").asText();
    BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    CompletableFuture<Integer> closed = new CompletableFuture<>();
    WebSocket socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .header("Origin", hub.http.base()) // a browser's dashboard, as the hub served it
            .buildAsync(
                URI.create("ws://127.0.0.1:" + hub.http.port + "/ws?access_token=" + token),
                listener(frames, closed))
            .get(10, TimeUnit.SECONDS);
    waitForLine(frames, ""); // a first frame (hive_status) arrived: the socket is live
    assertFalse(closed.isDone());
    assertEquals(200, change.apply().status());
    closed.get(10, TimeUnit.SECONDS); // the hub closes it
    socket.abort();
  }

  /** The first line (or frame) containing {@code text}; lines before it are kept. */
  private static String waitForLine(BlockingQueue<String> lines, String text) throws Exception {
    java.util.List<String> seen = new java.util.ArrayList<>();
    // each look takes the next line (waiting up to 200 ms for one); others are kept in order
    String line;
    try {
      line =
          Eventually.until(
              () -> {
                String next = lines.poll(200, TimeUnit.MILLISECONDS);
                if (next != null && !next.contains(text)) {
                  seen.add(next);
                }
                return next;
              },
              next -> next != null && next.contains(text),
              "a line with " + text);
    } catch (AssertionError none) {
      throw new AssertionError(none.getMessage() + "; lines passed by: " + seen, none);
    }
    lines.addAll(seen);
    return line;
  }
}
