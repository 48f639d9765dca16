package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agenthive.http.SseTestClient.Event;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A remote worker's {@code partial} frames reach {@code GET /api/tasks/{id}/stream}: a worker on
 * the JDK's WebSocket client registers, takes a task, sends three partial frames while a client
 * follows the task, then its result (a partial after it, or without an attempt, is an error); and
 * many partial frames sent right before the result all reach the client ahead of the end.
 */
class WorkerPartialsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Duration WAIT = Duration.ofSeconds(15);
  @TempDir static Path dataDir;
  static ApiTestHub hub;

  @BeforeAll
  static void start() throws Exception {
    hub =
        ApiTestHub.start(
            "worker-partials", dataDir, "hive.http.workers.tokens = [\"partials-token\"]");
  }

  @AfterAll
  static void stop() {
    hub.stop();
  }

  /** Text frames from the hub, whole, in order. */
  static final class Frames implements WebSocket.Listener {
    final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    private final StringBuilder part = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      part.append(data);
      if (last) {
        try {
          received.add(JSON.readTree(part.toString()));
        } catch (Exception e) {
          received.add(JSON.createObjectNode().put("type", "unreadable"));
        }
        part.setLength(0);
      }
      socket.request(1);
      return null;
    }

    /** The next frame of {@code type}, skipping heartbeats and others. */
    JsonNode next(String type) throws InterruptedException {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (System.nanoTime() < deadline) {
        JsonNode f = received.poll(100, TimeUnit.MILLISECONDS);
        if (f != null && f.path("type").asText().equals(type)) {
          return f;
        }
      }
      throw new AssertionError("no " + type + " frame within " + WAIT);
    }
  }

  @Test
  void partialFramesReachTheTaskStream() throws Exception {
    Frames frames = new Frames();
    WebSocket socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .header("Authorization", "Bearer partials-token")
            .buildAsync(URI.create("ws://127.0.0.1:" + hub.http.port + "/ws/worker"), frames)
            .get(10, TimeUnit.SECONDS);
    try {
      socket
          .sendText(
              "{\"type\":\"register\",\"name\":\"partial-writer\","
                  + "\"capabilities\":[{\"name\":\"wp.write\",\"proficiency\":0.8}]}",
              true)
          .get(5, TimeUnit.SECONDS);
      frames.next("registered");
      var submitted =
          hub.http.post(
              "/api/tasks",
              "{\"title\":\"write\",\"input\":\"go\",\"max_attempts\":1,"
                  + "\"required_capabilities\":[{\"name\":\"wp.write\"}]}");
      assertEquals(201, submitted.status(), submitted.body());
      String id = submitted.json().get("id").asText();
      JsonNode offer = frames.next("task_assigned");
      assertEquals(id, offer.get("task_id").asText());
      try (SseTestClient sse = new SseTestClient(hub.http, "/api/tasks/" + id + "/stream")) {
        Event soFar = sse.next(WAIT);
        assertEquals("so_far", soFar.name(), "the follower found the running attempt");
        for (String piece : List.of("alpha ", "beta ", "gamma")) {
          socket.sendText(partial(id, piece), true).get(5, TimeUnit.SECONDS);
        }
        StringBuilder seen = new StringBuilder(soFar.data().get("text").asText());
        while (!seen.toString().equals("alpha beta gamma")) {
          Event e = sse.next(WAIT);
          assertEquals("partial", e.name(), "partials before the result: " + seen);
          seen.append(e.data().get("text").asText());
        }
        socket
            .sendText(
                "{\"type\":\"result\",\"task_id\":\""
                    + id
                    + "\",\"attempt\":1,\"output\":{\"text\":\"alpha beta gamma\"}}",
                true)
            .get(5, TimeUnit.SECONDS);
        Event end = sse.untilEnd(WAIT).get(0);
        assertEquals("end", end.name());
        assertEquals("completed", end.data().get("status").asText(), end.data().toString());
        assertEquals("alpha beta gamma", end.data().at("/result/output/text").asText());
        // the attempt is over: a late piece of it, or one with no attempt, is an error
        socket.sendText(partial(id, "late"), true).get(5, TimeUnit.SECONDS);
        assertTrue(
            frames.next("error").get("message").asText().contains("no such attempt pending"));
        socket
            .sendText("{\"type\":\"partial\",\"task_id\":\"" + id + "\",\"text\":\"x\"}", true)
            .get(5, TimeUnit.SECONDS);
        assertTrue(frames.next("error").get("message").asText().contains("attempt"));
      }
    } finally {
      socket.abort();
    }
  }

  /**
   * The result used to overtake the last partial frames (they go to the attempt's live output, the
   * result to the attempt): the link now hands the result over only once the live output has them.
   */
  @Test
  void partialsSentRightBeforeTheResultAllReachTheClient() throws Exception {
    Frames frames = new Frames();
    WebSocket socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .header("Authorization", "Bearer partials-token")
            .buildAsync(URI.create("ws://127.0.0.1:" + hub.http.port + "/ws/worker"), frames)
            .get(10, TimeUnit.SECONDS);
    try {
      socket
          .sendText(
              "{\"type\":\"register\",\"name\":\"burst-writer\","
                  + "\"capabilities\":[{\"name\":\"wp.burst\",\"proficiency\":0.8}]}",
              true)
          .get(5, TimeUnit.SECONDS);
      frames.next("registered");
      for (int round = 1; round <= 3; round++) {
        var submitted =
            hub.http.post(
                "/api/tasks",
                "{\"title\":\"burst\",\"input\":\"go\",\"max_attempts\":1,"
                    + "\"required_capabilities\":[{\"name\":\"wp.burst\"}]}");
        assertEquals(201, submitted.status(), submitted.body());
        String id = submitted.json().get("id").asText();
        assertEquals(id, frames.next("task_assigned").get("task_id").asText());
        try (SseTestClient sse = new SseTestClient(hub.http, "/api/tasks/" + id + "/stream")) {
          StringBuilder text = new StringBuilder(sse.next(WAIT).data().get("text").asText());
          StringBuilder sent = new StringBuilder();
          for (int i = 0; i < 200; i++) {
            String piece = "p" + i + " ";
            sent.append(piece);
            socket.sendText(partial(id, piece), true).get(5, TimeUnit.SECONDS);
          }
          socket
              .sendText(
                  "{\"type\":\"result\",\"task_id\":\""
                      + id
                      + "\",\"attempt\":1,\"output\":{\"text\":\"done\"}}",
                  true)
              .get(5, TimeUnit.SECONDS);
          List<Event> rest = sse.untilEnd(WAIT);
          for (Event e : rest) {
            if (e.name().equals("partial") || e.name().equals("so_far")) {
              text.append(e.data().get("text").asText());
            }
          }
          assertEquals("completed", rest.get(rest.size() - 1).data().get("status").asText());
          assertEquals(sent.toString(), text.toString(), "round " + round + ": every piece");
        }
      }
    } finally {
      socket.abort();
    }
  }

  static String partial(String id, String text) {
    return JSON.createObjectNode()
        .put("type", "partial")
        .put("task_id", id)
        .put("attempt", 1)
        .put("text", text)
        .toString();
  }
}
