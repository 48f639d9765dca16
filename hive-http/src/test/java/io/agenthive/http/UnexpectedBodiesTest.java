package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every route answers a request that carries a body it does not expect, however the body arrives: a
 * client that sends its whole (slow, streamed) body before reading gets the answer, never a reset.
 * Over a raw socket, as a fuzzer or a plain HTTP/1.1 client does it.
 */
@Tag("database-neutral") // the edge or the launcher's own checks: the same on every database
class UnexpectedBodiesTest {
  @TempDir static Path dataDir;
  static ApiTestHub hub;

  @BeforeAll
  static void start() throws Exception {
    hub = ApiTestHub.start("UnexpectedBodiesTest", dataDir, "hive.http.max-body-size = 64k");
  }

  @AfterAll
  static void stop() {
    hub.stop();
  }

  /**
   * Sends the headers, then {@code size} bytes in slow pieces (so the body streams in after the
   * route could answer), then reads the whole answer: its status line, or what went wrong.
   */
  static String slowly(String method, String path, int size) throws IOException {
    try (Socket s = new Socket("127.0.0.1", hub.http.port)) {
      s.setSoTimeout(20_000);
      OutputStream out = s.getOutputStream();
      out.write(
          (method
                  + " "
                  + path
                  + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                  + hub.adminKey
                  + "\r\nContent-Type: application/json\r\nContent-Length: "
                  + size
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      byte[] piece = new byte[size / 8];
      java.util.Arrays.fill(piece, (byte) 'x');
      for (int i = 0; i < 8; i++) {
        awaitQuietly(30);
        out.write(piece); // a reset while writing would throw here
        out.flush();
      }
      InputStream in = s.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      in.transferTo(answer);
      String text = answer.toString(StandardCharsets.UTF_8);
      return text.isEmpty() ? "<no answer>" : text.substring(0, text.indexOf("\r\n"));
    }
  }

  /** A pause between pieces of a slow client (what the test simulates, not a synchronisation). */
  private static void awaitQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void readsWithABodyAreAnsweredAfterTheBodyHasArrived() throws IOException {
    for (String path :
        List.of("/metrics", "/health", "/ready", "/api/hive/status", "/api/tasks", "/nowhere")) {
      String status = slowly("GET", path, 40_000);
      assertTrue(status.startsWith("HTTP/1.1 "), path + ": " + status);
      assertFalse(status.startsWith("HTTP/1.1 5"), path + ": " + status);
    }
    assertEquals("HTTP/1.1 200 OK", slowly("GET", "/metrics", 40_000));
  }

  @Test
  void aBodyThatIsNotReadByItsRouteIsStillRead() throws Exception {
    String id = hub.http.post("/api/tasks", "{\"title\": \"t\"}").json().path("id").asText();
    String status = slowly("POST", "/api/tasks/" + id + "/cancel", 40_000);
    assertEquals("HTTP/1.1 200 OK", status);
  }

  @Test
  void aStreamedBodyPastTheLimitIsRefusedWith413AndTheRefusalArrives() throws IOException {
    assertTrue(slowly("GET", "/metrics", 200_000).startsWith("HTTP/1.1 413 "));
  }
}
