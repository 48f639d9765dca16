package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.hive.HiveTestKit;
import io.agenthive.http.json.Json;
import io.agenthive.task.TaskStatus;
import io.agenthive.testing.Eventually;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A burst of 50 000 submissions from 64 connections against a queue bound of 10 000 and no agent to
 * take anything: every submission is answered, 201 (and then journaled and queued) or 429 (and then
 * nowhere), and none is lost or dropped silently.
 */
class SubmissionBurstTest {
  static final int SUBMISSIONS = 50_000;
  static final int CONNECTIONS = 64;
  static final int BOUND = 10_000;
  @TempDir static Path dataDir;
  static ApiTestHub hub;

  @BeforeAll
  static void start() throws Exception {
    hub =
        ApiTestHub.start("SubmissionBurstTest", dataDir, "hive.core.tasks.queue-bound = " + BOUND);
  }

  @AfterAll
  static void stop() {
    hub.stop();
  }

  @Test
  void everySubmissionIsAcceptedOrRefusedAndEveryAcceptedOneIsQueued() throws Exception {
    String body =
        "{\"title\": \"burst\", \"required_capabilities\": [{\"name\": \"burst.nobody\","
            + " \"minimum_proficiency\": 0.5}]}";
    Set<String> accepted = ConcurrentHashMap.newKeySet();
    AtomicInteger refused = new AtomicInteger();
    List<String> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS);
    List<Future<?>> connections = new ArrayList<>();
    for (int c = 0; c < CONNECTIONS; c++) {
      connections.add(
          pool.submit(
              () -> {
                // one client per thread, one request at a time: one kept-alive connection each
                HttpClient client =
                    HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(10))
                        .build();
                HttpRequest request =
                    HttpRequest.newBuilder(URI.create(hub.http.base() + "/api/tasks"))
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + hub.adminKey)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build();
                while (next.getAndIncrement() < SUBMISSIONS) {
                  HttpResponse<String> r =
                      client.send(request, HttpResponse.BodyHandlers.ofString());
                  JsonNode json = Json.MAPPER.readTree(r.body());
                  if (r.statusCode() == 201) {
                    accepted.add(json.get("id").asText());
                  } else if (r.statusCode() == 429
                      && r.headers().firstValue("Retry-After").isPresent()
                      && "queue_full".equals(json.at("/error/code").asText())) {
                    refused.incrementAndGet();
                  } else {
                    unexpected.add(r.statusCode() + " " + r.body());
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : connections) {
      f.get(10, TimeUnit.MINUTES); // an I/O error or a timeout fails the test here
    }
    pool.shutdown();

    assertEquals(List.of(), unexpected.subList(0, Math.min(5, unexpected.size())));
    assertEquals(SUBMISSIONS, accepted.size() + refused.get(), "every submission answered");
    assertEquals(BOUND, accepted.size(), "nothing left the queue, so exactly the bound fits");
    var counts = HiveTestKit.await(hub.hive.ready(Duration.ofSeconds(10)));
    assertEquals(BOUND, counts.pending(), "every accepted task waits in the queue");
    assertEquals((long) BOUND, counts.tasks().get(TaskStatus.PENDING));
    // and every one is journaled: the read side, fed only by the journal, lists them all
    Set<String> listed =
        Eventually.eventually(
            () -> {
              Set<String> ids = listedPendingTasks();
              return ids.size() == BOUND ? ids : null;
            },
            "the read side to list every accepted task");
    assertEquals(accepted, listed);
  }

  static Set<String> listedPendingTasks() {
    Set<String> ids = new HashSet<>();
    String cursor = null;
    try {
      do {
        var page =
            hub.http
                .get(
                    "/api/tasks?status=pending&limit=500"
                        + (cursor == null ? "" : "&cursor=" + cursor))
                .json();
        page.get("items").forEach(t -> ids.add(t.get("id").asText()));
        cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asText(null);
      } while (cursor != null);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    return ids;
  }
}
