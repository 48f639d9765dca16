package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code HIVE_AUTH=off} any web page was admin (issue item 7): a page on another origin opened
 * {@code /ws} and created an agent and a task, and {@code Host: evil.example} (DNS rebinding) got
 * 200. Now, on a hub without authentication on loopback, WebSocket upgrades and changing requests
 * from other origins get 403, names other than the loopback ones get 421; the hub's own pages and
 * programs (no Origin) go on working.
 */
@Tag("database-neutral") // the edge or the launcher's own checks: the same on every database
class ForeignPagesTest {
  static final String EVIL = "https://evil.example";
  @TempDir static Path dataDir;
  static ApiTestHub hub;
  static String own;

  @BeforeAll
  static void start() throws Exception {
    hub = ApiTestHub.start("ForeignPagesTest", dataDir, "hive.http.auth.enabled = off");
    own = hub.http.base(); // http://127.0.0.1:<port>, as the hub's own dashboard page
  }

  @AfterAll
  static void stop() {
    hub.stop();
  }

  /** A WebSocket upgrade by hand, to read the refusal's body. */
  static RawHttp.Answer upgrade(String path, String origin) throws Exception {
    try (RawHttp c = RawHttp.open(hub.http.port, "127.0.0.1")) {
      return c.send(
              "GET "
                  + path
                  + " HTTP/1.1\r\nHost: 127.0.0.1:"
                  + hub.http.port
                  + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                  + "Origin: "
                  + origin
                  + "\r\n\r\n")
          .read();
    }
  }

  @Test
  void aWebSocketFromAnotherOriginIsRefused() throws Exception {
    for (String path : List.of("/ws", "/api/events", "/ws/worker", "/ws?access_token=x")) {
      for (String origin : List.of(EVIL, "null", "http://localhost:3000")) {
        RawHttp.Answer a = upgrade(path, origin);
        assertEquals(403, a.status(), path + " from " + origin + ": " + a.body());
        assertEquals("origin_not_allowed", a.code());
        assertTrue(a.json().at("/error/message").asText().contains("WebSocket"), a.body());
      }
    }
  }

  @Test
  void theHubsOwnPageAndAProgramMayOpenTheDashboardSocket() throws Exception {
    for (String origin : new String[] {own, "http://localhost:" + hub.http.port, null}) {
      // a page opens its socket to the host it came from
      String host = origin != null && origin.contains("localhost") ? "localhost" : "127.0.0.1";
      LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
      var builder = HttpClient.newHttpClient().newWebSocketBuilder();
      if (origin != null) {
        builder.header("Origin", origin);
      }
      WebSocket ws =
          builder
              .buildAsync(
                  URI.create("ws://" + host + ":" + hub.http.port + "/ws"),
                  new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                      frames.add(data.toString());
                      w.request(1);
                      return null;
                    }
                  })
              .get(10, TimeUnit.SECONDS);
      String first = frames.poll(10, TimeUnit.SECONDS);
      ws.abort();
      assertNotNull(first, "no hive_status for origin " + origin);
      assertTrue(first.contains("hive_status"), first);
    }
  }

  @Test
  void aChangeFromAnotherOriginIsRefusedAndFromOursOrAProgramAccepted() throws Exception {
    var refused = hub.http.post("/api/tasks", "{\"title\": \"from evil\"}", "Origin", EVIL);
    assertEquals(403, refused.status(), refused.body());
    assertEquals("origin_not_allowed", refused.json().at("/error/code").asText());
    // a form post needs no preflight: refused all the same, before its body is looked at
    var form =
        hub.http.postBytes(
            "/api/agents", "name=x&type=worker".getBytes(), "text/plain", "Origin", EVIL);
    assertEquals(403, form.status(), form.body());
    assertEquals(201, hub.http.post("/api/tasks", "{\"title\": \"ours\"}", "Origin", own).status());
    assertEquals(201, hub.http.post("/api/tasks", "{\"title\": \"curl\"}").status());
    // reading needs no Origin check: the browser keeps the answer from a foreign page (no CORS)
    assertEquals(200, hub.http.as(null).get("/api/hive/status").status());
  }

  @Test
  void aNameOtherThanLoopbackIsRefusedAndTheLoopbackNamesAnswered() throws Exception {
    for (String host : List.of("evil.example", "evil.example:" + hub.http.port, "10.0.0.1")) {
      RawHttp.Answer a = get("/api/hive/status", host, null);
      assertEquals(421, a.status(), host + ": " + a.body());
      assertEquals("host_not_allowed", a.code());
      assertTrue(a.json().at("/error/message").asText().contains("HIVE_PUBLIC_HOSTS"), a.body());
    }
    // DNS rebinding: the page's own name for both; refused by its name
    assertEquals(
        421,
        get("/api/tasks", "evil.example:" + hub.http.port, "http://evil.example:" + hub.http.port)
            .status());
    for (String host :
        List.of(
            "localhost:" + hub.http.port,
            "127.0.0.1:" + hub.http.port,
            "[::1]",
            "[::1]:" + hub.http.port,
            "LOCALHOST")) {
      assertEquals(200, get("/api/hive/status", host, null).status(), host);
    }
    assertEquals(200, get("/health", "evil.example", null).status(), "probes answer any name");
  }

  private static RawHttp.Answer get(String path, String host, String origin) throws Exception {
    try (RawHttp c = RawHttp.open(hub.http.port, "127.0.0.1")) {
      return c.send(
              "GET "
                  + path
                  + " HTTP/1.1\r\nHost: "
                  + host
                  + "\r\n"
                  + (origin == null ? "" : "Origin: " + origin + "\r\n")
                  + "Connection: close\r\n\r\n")
          .read();
    }
  }
}
