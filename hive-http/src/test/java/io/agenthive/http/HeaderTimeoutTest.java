package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hive.http.connections.header-timeout} (2 s here): a request whose headers are not whole
 * that long after its first byte, or a connection that sends nothing that long after it opened, is
 * answered 408 and closed; a slow client that does finish in time is served, and so is a kept-alive
 * connection that was quiet between two requests for longer than the timeout.
 */
@Tag("database-neutral") // the edge or the launcher's own checks: the same on every database
class HeaderTimeoutTest {
  static final Duration HEADER_TIMEOUT = Duration.ofSeconds(2);
  static final String REQUEST = "GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow: yes\r\n\r\n";
  @TempDir static Path dataDir;
  static ApiTestHub hub;

  @BeforeAll
  static void start() throws Exception {
    hub =
        ApiTestHub.start(
            "HeaderTimeoutTest",
            dataDir,
            "hive.http.connections.header-timeout = " + HEADER_TIMEOUT.toMillis() + "ms");
  }

  @AfterAll
  static void stop() {
    hub.stop();
  }

  @Test
  void anIdleHalfSentRequestIsClosedAfterTheHeaderTimeout() throws Exception {
    for (String opening : List.of("GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow: ", "")) {
      try (RawHttp c = RawHttp.open(hub.http.port, "127.0.0.1").send(opening)) {
        long opened = System.nanoTime();
        RawHttp.Answer a = c.read();
        long ms = (System.nanoTime() - opened) / 1_000_000;
        assertEquals(408, a.status(), a.body());
        assertEquals("header_timeout", a.code());
        assertTrue(a.json().at("/error/message").asText().contains("header-timeout"), a.body());
        assertNotNull(a.headers().get("x-request-id"));
        assertTrue(c.closedByHub(), "closed after the 408");
        assertTrue(
            ms >= HEADER_TIMEOUT.toMillis() - 100 && ms < HEADER_TIMEOUT.toMillis() + 3_000,
            "closed after " + ms + " ms; sent '" + opening + "'");
      }
    }
  }

  @Test
  void aSlowButSteadyClientAndAKeptAliveConnectionAreServed() throws Exception {
    try (RawHttp c = RawHttp.open(hub.http.port, "127.0.0.1")) {
      int piece = REQUEST.length() / 4 + 1;
      for (int i = 0; i < REQUEST.length(); i += piece) {
        c.send(REQUEST.substring(i, Math.min(REQUEST.length(), i + piece)));
        pace(HEADER_TIMEOUT.toMillis() / 8); // a slow client, well within the timeout in all
      }
      assertEquals(200, c.read().status());
      // quiet between requests for longer than the header timeout: only the idle timeout counts
      pace(HEADER_TIMEOUT.toMillis() + 1_000);
      assertEquals(200, c.send(REQUEST).read().status());
    }
  }

  @Test
  void aBodySentSlowlyAfter100ContinueIsNotTimedAsHeaders() throws Exception {
    String body = "{\"title\": \"sent slowly, after the hub said continue\"}";
    try (RawHttp c = RawHttp.open(hub.http.port, "127.0.0.1")) {
      c.send(
          "POST /api/tasks HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
              + hub.adminKey
              + "\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n"
              + "Content-Length: "
              + body.length()
              + "\r\n\r\n");
      assertEquals(100, c.read().status());
      int piece = body.length() / 4 + 1;
      for (int i = 0; i < body.length(); i += piece) {
        pace(HEADER_TIMEOUT.toMillis() / 2); // an upload slower in all than the header timeout
        c.send(body.substring(i, Math.min(body.length(), i + piece)));
      }
      RawHttp.Answer a = c.read();
      assertEquals(201, a.status(), a.body());
    }
  }

  @Test
  void emptyLinesBeforeTheRequestDoNotHoldTheConnection() throws Exception {
    // they do not stop the clock either; akka-http's parser refuses them outright, in our body
    try (RawHttp c = RawHttp.open(hub.http.port, "127.0.0.1").send("\r\n\r\n\r\nGET /hea")) {
      RawHttp.Answer a = c.read();
      assertEquals(400, a.status(), a.body());
      assertEquals("unknown_method", a.code(), a.body());
      assertTrue(c.closedByHub());
    }
  }

  /** The pause of a deliberately slow client (what is tested, not a synchronisation). */
  private static void pace(long ms) throws InterruptedException {
    Thread.sleep(ms);
  }
}
