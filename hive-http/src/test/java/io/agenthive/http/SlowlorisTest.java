package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.*;

import io.agenthive.testing.Eventually;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slowloris (issue item 6): 1,100 half-sent requests from one address made {@code /health} time
 * out. With the default limits, that address now holds at most 256 connections (the rest are
 * answered 503 and closed at once), the ones it holds are answered 408 and closed when their
 * headers are overdue (10 s), and a client at another address is served meanwhile. The attack comes
 * from 127.0.0.2, the normal client from 127.0.0.1: two addresses on one machine.
 */
@Tag("database-neutral") // the edge or the launcher's own checks: the same on every database
class SlowlorisTest {
  static final int ATTACK = 1_100;
  static final int PER_ADDRESS = 256; // the default of hive.http.connections.max-per-address
  static final String ATTACKER = "127.0.0.2";
  @TempDir static Path dataDir;
  static ApiTestHub hub;

  @BeforeAll
  static void start() throws Exception {
    hub = ApiTestHub.start("SlowlorisTest", dataDir, "");
  }

  @AfterAll
  static void stop() {
    hub.stop();
  }

  @Test
  void halfSentRequestsFromOneAddressAreCappedAndTimedOutWhileOthersAreServed() throws Exception {
    long before = health();
    List<RawHttp> attack = new ArrayList<>();
    try {
      long opening = System.nanoTime();
      for (int i = 0; i < ATTACK; i++) {
        attack.add(
            RawHttp.open(hub.http.port, ATTACKER)
                .send("GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow: "));
      }
      // the hub refuses past the cap at once; the connections it holds stay silent
      Eventually.eventually(
          () -> waiting(attack) >= ATTACK - PER_ADDRESS ? true : null, "the refusals to arrive");
      long dealtWith = (System.nanoTime() - opening) / 1_000_000;
      long during = health();
      assertTrue(hub.binding.openConnections() >= PER_ADDRESS, "held for " + ATTACKER);
      System.out.printf(
          "/health %d ms before, %d ms during the attack (%d connections opened and refused"
              + " within %d ms)%n",
          before, during, ATTACK, dealtWith);
      assertTrue(during < 1_000, "/health took " + during + " ms during the attack");

      List<RawHttp> held = new ArrayList<>();
      for (RawHttp c : attack) {
        if (c.socket.getInputStream().available() == 0) {
          held.add(c);
          continue;
        }
        RawHttp.Answer a = c.read();
        assertEquals(503, a.status(), a.body());
        assertEquals("too_many_connections", a.code(), a.body());
        assertTrue(a.json().at("/error/message").asText().contains("max-per-address"), a.body());
        assertEquals("5", a.headers().get("retry-after"));
      }
      assertEquals(PER_ADDRESS, held.size());
      for (RawHttp c : held) {
        RawHttp.Answer a = c.read(); // waits for the header timeout
        assertEquals(408, a.status(), a.body());
        assertEquals("header_timeout", a.code());
        assertTrue(c.closedByHub());
      }
      String metrics = hub.http.get("/metrics").body();
      assertTrue(
          metric(metrics, "hive_http_connections_refused_total{reason=\"per_address\"}")
              >= ATTACK - PER_ADDRESS,
          "refusals counted on /metrics");
      assertTrue(
          metric(metrics, "hive_http_connections_refused_total{reason=\"header_timeout\"}")
              >= PER_ADDRESS,
          "header timeouts counted on /metrics");
      try (RawHttp again = RawHttp.open(hub.http.port, ATTACKER)) {
        assertEquals(
            200,
            again.send("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n").read().status(),
            ATTACKER + " is served again once its connections are closed");
      }
    } finally {
      for (RawHttp c : attack) {
        c.close();
      }
    }
  }

  /** Milliseconds {@code /health} takes to answer 200, on a new connection from 127.0.0.1. */
  private static long health() throws Exception {
    long started = System.nanoTime();
    try (RawHttp c = RawHttp.open(hub.http.port, "127.0.0.1")) {
      RawHttp.Answer a =
          c.send("GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").read();
      assertEquals(200, a.status(), a.body());
    }
    return (System.nanoTime() - started) / 1_000_000;
  }

  private static double metric(String scrape, String series) {
    return scrape
        .lines()
        .filter(l -> l.startsWith(series + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1)))
        .findFirst()
        .orElse(-1);
  }

  /** How many of {@code connections} have an answer waiting to be read. */
  private static int waiting(List<RawHttp> connections) throws java.io.IOException {
    int n = 0;
    for (RawHttp c : connections) {
      n += c.socket.getInputStream().available() > 0 ? 1 : 0;
    }
    return n;
  }
}
