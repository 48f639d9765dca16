package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A full queue is a 429 with Retry-After and the error body, never a dropped task. */
class QueueFullHttpTest {
  @TempDir static Path dataDir;
  static ApiTestHub hub;

  @BeforeAll
  static void start() throws Exception {
    hub = ApiTestHub.start("QueueFullHttpTest", dataDir, "hive.core.tasks.queue-bound = 2");
  }

  @AfterAll
  static void stop() {
    hub.stop();
  }

  @Test
  void submissionsPastTheBoundGet429WithRetryAfter() throws Exception {
    String body =
        "{\"title\": \"waits\", \"required_capabilities\": [{\"name\": \"nobody\","
            + " \"minimum_proficiency\": 0.5}]}";
    assertEquals(201, hub.http.post("/api/tasks", body).status());
    assertEquals(201, hub.http.post("/api/tasks", body).status());
    var full = hub.http.post("/api/tasks", body);
    assertEquals(429, full.status(), full.body());
    assertEquals("queue_full", full.json().at("/error/code").asText());
    assertNotNull(full.header("Retry-After"));
  }
}
