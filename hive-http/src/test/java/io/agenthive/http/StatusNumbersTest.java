package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The status's numbers on a hub of its own, from empty on: they must agree with each other. */
class StatusNumbersTest {
  @TempDir static Path dataDir;
  static ApiTestHub hub;

  @BeforeAll
  static void start() throws Exception {
    hub = ApiTestHub.start("StatusNumbers-" + System.nanoTime(), dataDir, "");
  }

  @AfterAll
  static void stop() {
    hub.stop();
  }

  @Test
  void theSuccessRateIsOverFinishedTasksAndAbsentBeforeAnyFinished() throws Exception {
    JsonNode empty = hub.http.get("/api/hive/status").json();
    assertTrue(empty.get("success_rate").isNull(), "no rate on an empty hub, not 0%: " + empty);

    agent("numbers-ok", "noop", "numbers.ok");
    agent("numbers-fail", "always-fails", "numbers.fail");
    task("numbers.ok");
    task("numbers.fail");
    task("numbers.nobody"); // pending for good: not part of the rate
    JsonNode status =
        hub.http
            .getUntil(
                "/api/hive/status",
                r ->
                    r.json().at("/tasks/completed").asLong() == 1
                        && r.json().at("/tasks/failed").asLong() == 1,
                "one completed and one failed task counted")
            .json();
    assertEquals(0.5, status.get("success_rate").asDouble(), 1e-9, status.toString());
  }

  /** The counts follow the event that changes the state: a resume shows at once, not seconds on. */
  @Test
  void aResumeShowsInTheStatusAsSoonAsItIsAnswered() throws Exception {
    var r =
        hub.http.post(
            "/api/agents",
            "{\"name\": \"numbers-paused\", \"type\": \"worker\", \"capabilities\":"
                + " [{\"name\": \"numbers.p\", \"proficiency\": 0.5}]}");
    String id = r.json().get("id").asText();
    assertEquals(200, hub.http.post("/api/agents/" + id + "/pause", "{}").status());
    hub.http.getUntil(
        "/api/hive/status", s -> s.json().at("/agents/paused").asLong() == 1, "one paused");
    assertEquals(200, hub.http.post("/api/agents/" + id + "/resume", "{}").status());
    long resumed = System.nanoTime();
    hub.http.getUntil(
        "/api/hive/status", s -> s.json().at("/agents/paused").asLong() == 0, "none paused");
    long tookMs = (System.nanoTime() - resumed) / 1_000_000;
    // the counts are pushed within 100 ms of a change; seconds would mean another path
    assertTrue(tookMs < 2000, "the status showed the resume after " + tookMs + " ms");
  }

  /**
   * Running is attempts at work on agents, as in flight and the agents working count them: a
   * dataset task at work (status running, but its chunks are what agents run) is counted apart.
   */
  @Test
  void aDatasetJobAtWorkIsNotCountedAsARunningAttempt() throws Exception {
    var upload =
        hub.http.postBytes(
            "/api/tasks/upload?title=numbers&capability=numbers.chunks&chunk_bytes=1024",
            "{\"n\": 1}\n{\"n\": 2}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8),
            "application/x-ndjson");
    assertEquals(201, upload.status(), upload.body());
    String id = upload.json().get("id").asText();
    hub.http.getUntil(
        "/api/tasks/" + id, r -> r.json().get("status").asText().equals("running"), "job at work");
    JsonNode status =
        hub.http
            .getUntil(
                "/api/hive/status",
                r -> r.json().get("dataset_jobs_running").asInt() == 1,
                "the job counted")
            .json();
    // no agent has numbers.chunks: its chunk waits, and nothing runs on an agent
    assertEquals(0, status.at("/tasks/running").asLong(), status.toString());
    assertEquals(status.get("in_flight").asLong(), status.at("/tasks/running").asLong());
    assertEquals(0, status.at("/agents/working").asLong(), status.toString());

    assertEquals(200, hub.http.post("/api/tasks/" + id + "/cancel", "{}").status());
    JsonNode after =
        hub.http
            .getUntil(
                "/api/hive/status",
                r -> r.json().get("dataset_jobs_running").asInt() == 0,
                "the cancelled job no longer counted")
            .json();
    assertEquals(0, after.at("/tasks/running").asLong(), after.toString());
  }

  private static void agent(String name, String skill, String capability) throws Exception {
    var r =
        hub.http.post(
            "/api/agents",
            "{\"name\": \""
                + name
                + "\", \"type\": \"worker\", \"skill\": \""
                + skill
                + "\", \"capabilities\": [{\"name\": \""
                + capability
                + "\", \"proficiency\": 0.8}]}");
    assertEquals(201, r.status(), r.body());
  }

  private static void task(String capability) throws Exception {
    var r =
        hub.http.post(
            "/api/tasks",
            "{\"title\": \"t\", \"max_attempts\": 1, \"required_capabilities\": [{\"name\": \""
                + capability
                + "\"}]}");
    assertEquals(201, r.status(), r.body());
  }
}
