package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.*;

import io.agenthive.testing.Eventually;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads of ids that were never written cost nothing lasting: 10,000 GETs of random task ids by a
 * viewer are each a 404, and the tasks living in the node's memory ({@code hive_live_entities})
 * come back to where they were, instead of each random id keeping an entity alive for a minute.
 */
class UnknownIdsTest {
  @TempDir static Path dataDir;
  static ApiTestHub hub;

  @BeforeAll
  static void start() throws Exception {
    hub = ApiTestHub.start("UnknownIdsTest", dataDir, "");
  }

  @AfterAll
  static void stop() {
    hub.stop();
  }

  static double liveTasks() {
    String metrics;
    try {
      metrics = hub.http.get("/metrics").body();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    for (String line : metrics.split("\n")) {
      if (line.startsWith("hive_live_entities{kind=\"Task\"} ")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return 0;
  }

  @Test
  void tenThousandReadsOfRandomTaskIdsLeaveNoEntityBehind() throws Exception {
    double before = liveTasks();
    HttpClient client = HttpClient.newHttpClient();
    Semaphore inFlight = new Semaphore(32);
    AtomicInteger notFound = new AtomicInteger();
    List<CompletableFuture<?>> calls = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      inFlight.acquire();
      HttpRequest get =
          hub.http
              .authorized(
                  HttpRequest.newBuilder(
                      URI.create(hub.http.base() + "/api/tasks/" + UUID.randomUUID())))
              .timeout(Duration.ofSeconds(30))
              .build();
      calls.add(
          client
              .sendAsync(get, HttpResponse.BodyHandlers.discarding())
              .whenComplete(
                  (r, e) -> {
                    inFlight.release();
                    if (r != null && r.statusCode() == 404) {
                      notFound.incrementAndGet();
                    }
                  }));
    }
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get();
    assertEquals(10_000, notFound.get());
    Eventually.eventually(
        () -> liveTasks() <= before ? Boolean.TRUE : null,
        "live task entities back to " + before + " (now " + liveTasks() + ")",
        Duration.ofSeconds(10));
  }
}
