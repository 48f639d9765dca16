package io.agenthive.http;

import static io.agenthive.testing.Eventually.until;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bounds of {@code GET /api/tasks/{id}/stream}: past {@code hive.http.max-task-streams} a new
 * stream gets 503 with Retry-After (and room again once one closes); an idle stream gets keep-alive
 * comments.
 */
class TaskStreamBoundsTest {
  @TempDir static Path dataDir;
  static ApiTestHub hub;

  @BeforeAll
  static void start() throws Exception {
    hub =
        ApiTestHub.start(
            "task-stream-bounds",
            dataDir,
            "hive.http { max-task-streams = 1, task-stream-keep-alive = 200ms }");
  }

  @AfterAll
  static void stop() {
    hub.stop();
  }

  /** A task no agent can take: it waits, and its stream stays open. */
  static String waitingTask() throws Exception {
    var r =
        hub.http.post(
            "/api/tasks",
            "{\"title\":\"waits\",\"required_capabilities\":[{\"name\":\"nobody.has.this\"}]}");
    assertEquals(201, r.status(), r.body());
    return r.json().get("id").asText();
  }

  @Test
  void pastTheCapA503AndIdleStreamsGetKeepAliveComments() throws Exception {
    String id = waitingTask();
    String path = "/api/tasks/" + id + "/stream";
    try (SseTestClient first = new SseTestClient(hub.http, path)) {
      assertEquals(200, first.status());
      until(first::comments, n -> n >= 2, "keep-alive comments on the idle stream");
      var refused = hub.http.get(path);
      assertEquals(503, refused.status(), refused.body());
      assertEquals("too_many_streams", refused.json().at("/error/code").asText());
      assertNotNull(refused.header("Retry-After"), "503 says when to come back");
    }
    // the closed stream gives its place back
    try (SseTestClient again =
        until(
            () -> {
              SseTestClient c = new SseTestClient(hub.http, path);
              if (c.status() == 200) {
                return c;
              }
              c.close();
              return null;
            },
            c -> c != null,
            "a stream accepted once the first closed")) {
      assertEquals(200, again.status());
      var cancel = hub.http.post("/api/tasks/" + id + "/cancel", "{}");
      assertEquals(200, cancel.status(), cancel.body());
      SseTestClient.Event end = again.untilEnd(Duration.ofSeconds(15)).get(0);
      assertEquals("end", end.name());
      assertEquals("cancelled", end.data().get("status").asText());
    }
  }
}
