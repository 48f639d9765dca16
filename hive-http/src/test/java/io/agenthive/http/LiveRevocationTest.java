package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.*;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Revocation reaches connections that are already open: an event stream whose key is revoked, and a
 * dashboard socket whose user is removed, are closed within seconds, as every new request of theirs
 * is refused at once.
 */
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
    HttpResponse<java.util.stream.Stream<String>> response =
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
    CompletableFuture<Integer> closed = new CompletableFuture<>();
    CompletableFuture<Void> greeted = new CompletableFuture<>();
    WebSocket socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .buildAsync(
                URI.create("ws://127.0.0.1:" + hub.http.port + "/ws?access_token=" + token),
                new WebSocket.Listener() {
                  @Override
                  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                    greeted.complete(null);
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
                })
            .get(10, TimeUnit.SECONDS);
    greeted.get(10, TimeUnit.SECONDS); // hive_status arrived: the socket is live
    assertFalse(closed.isDone());
    assertEquals(200, change.apply().status());
    closed.get(10, TimeUnit.SECONDS); // the hub closes it
    socket.abort();
  }

  private static void waitForLine(BlockingQueue<String> lines, String text) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      String line = lines.poll(200, TimeUnit.MILLISECONDS);
      if (line != null && line.contains(text)) {
        return;
      }
    }
    fail("no event line with " + text);
  }
}
