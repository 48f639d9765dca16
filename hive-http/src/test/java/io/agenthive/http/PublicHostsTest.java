package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code HIVE_PUBLIC_HOSTS} on a hub with authentication on: the names given (with or without a
 * port) are answered, any other is refused with 421 before credentials are looked at, however good
 * they are.
 */
@Tag("database-neutral") // the edge or the launcher's own checks: the same on every database
class PublicHostsTest {
  @TempDir static Path dataDir;
  static ApiTestHub hub;

  @BeforeAll
  static void start() throws Exception {
    hub =
        ApiTestHub.start(
            "PublicHostsTest", dataDir, "hive.http.public-hosts = \"hive.example.com, 127.0.0.1\"");
  }

  @AfterAll
  static void stop() {
    hub.stop();
  }

  private static RawHttp.Answer status(String host, String key) throws Exception {
    try (RawHttp c = RawHttp.open(hub.http.port, "127.0.0.1")) {
      return c.send(
              "GET /api/hive/status HTTP/1.1\r\nHost: "
                  + host
                  + "\r\n"
                  + (key == null ? "" : "Authorization: Bearer " + key + "\r\n")
                  + "Connection: close\r\n\r\n")
          .read();
    }
  }

  @Test
  void onlyTheConfiguredNamesAreAnswered() throws Exception {
    assertEquals(200, status("hive.example.com", hub.adminKey).status());
    assertEquals(200, status("hive.example.com:443", hub.adminKey).status());
    assertEquals(401, status("HIVE.example.com", null).status());
    assertEquals(200, hub.http.get("/api/hive/status").status(), "127.0.0.1:<port>");
    for (String host : new String[] {"evil.example", "localhost", "hive.example.com.evil"}) {
      RawHttp.Answer a = status(host, hub.adminKey);
      assertEquals(421, a.status(), host + ": " + a.body());
      assertEquals("host_not_allowed", a.code());
      assertTrue(a.json().at("/error/message").asText().contains("hive.example.com"), a.body());
    }
  }
}
