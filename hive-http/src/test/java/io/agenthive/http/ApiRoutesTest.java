package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST API over real HTTP on a free port, against the real hive on an H2 file. */
class ApiRoutesTest {
  @TempDir static Path dataDir;
  static ApiTestHub hub;
  static HttpTestClient http;

  @BeforeAll
  static void start() throws Exception {
    hub = ApiTestHub.start("ApiRoutesTest", dataDir, "hive.http.max-body-size = 64k");
    http = hub.http;
  }

  @AfterAll
  static void stop() {
    hub.stop();
  }

  static void assertErrorBody(HttpTestClient.Reply r, int status, String code) {
    assertEquals(status, r.status(), r.body());
    assertNotNull(r.json(), "error body is JSON: " + r.body());
    assertEquals(code, r.json().path("error").path("code").asText(), r.body());
    assertFalse(r.json().path("error").path("message").asText().isEmpty());
    assertTrue(r.json().path("error").path("field_errors").isArray());
    assertEquals(r.header("X-Request-Id"), r.json().path("request_id").asText());
  }

  @Test
  void registersAnAgentWith201LocationAndRequestId() throws Exception {
    var r =
        http.post(
            "/api/agents",
            """
        {"name": "api-coder", "type": "worker", "skill": "noop",
         "capabilities": [{"name": "api.code", "proficiency": 0.8}]}""",
            "X-Request-Id",
            "client-id-1");
    assertEquals(201, r.status(), r.body());
    assertEquals("client-id-1", r.header("X-Request-Id"));
    String id = r.json().get("id").asText();
    assertEquals("/api/agents/" + id, r.header("Location"));
    assertEquals(0.1, r.json().at("/capabilities/0/learning_rate").asDouble(), 1e-9);
    assertEquals("idle", http.get("/api/agents/" + id).json().get("state").asText());
    assertErrorBody(http.get("/api/agents/no-such-agent"), 404, "not_found");
  }

  /** The seed dashboard's resource monitor reads this shape; the numbers are the machine's. */
  @Test
  void resourcesAreTheMachinesInTheSeedsShape() throws Exception {
    var r = http.get("/api/resources");
    assertEquals(200, r.status(), r.body());
    var system = r.json().get("system_resources");
    assertEquals(Runtime.getRuntime().availableProcessors(), system.get("cpu_cores").asInt());
    assertEquals(
        Runtime.getRuntime().maxMemory(), system.get("jvm_heap_max").asLong(), "this JVM's heap");
    assertTrue(system.get("jvm_heap_used").asLong() > 0);
    assertTrue(system.get("total_memory").asLong() > system.get("available_memory").asLong());
    assertTrue(system.get("simd_capabilities").isArray());
    assertFalse(r.json().get("hardware_class").asText().isEmpty());
    assertTrue(r.json().get("resource_profile").has("profile_name"));
    assertEquals(401, http.as(null).get("/api/resources").status());
  }

  @Test
  void acceptsTheSeedHubsRequestShapes() throws Exception {
    var agent =
        http.post(
            "/api/agents",
            """
        {"name": "seed-style", "agent_type": "Worker",
         "capabilities": [{"name": "api.seed", "proficiency": 0.9}]}""");
    assertEquals(201, agent.status(), agent.body());
    assertEquals("worker", agent.json().get("type").asText());
    assertEquals("simulated", agent.json().get("skill").asText());
    var specialist =
        http.post("/api/agents", "{\"name\": \"spec\", \"type\": {\"Specialist\":" + " \"data\"}}");
    assertEquals("specialist:data", specialist.json().get("type").asText());

    String description =
        "Summarise the quarterly report and list the three biggest risks for" + " the board";
    var task =
        http.post(
            "/api/tasks",
            "{\"description\": \""
                + description
                + "\", \"priority\":"
                + " 8, \"required_capabilities\": [{\"name\": \"api.seed\", \"min_proficiency\": 0.4,"
                + " \"weight\": 1.0}]}");
    assertEquals(201, task.status(), task.body());
    assertEquals(description.substring(0, 60), task.json().get("title").asText());
    assertEquals("critical", task.json().get("priority").asText());
    assertEquals(0.4, task.json().at("/required_capabilities/0/minimum_proficiency").asDouble());
    assertEquals(
        "low",
        http.post("/api/tasks", "{\"title\": \"t\", \"priority\": 3}")
            .json()
            .get("priority")
            .asText());
  }

  @Test
  void aRetriedSubmissionWithTheSameKeyReturnsTheSameTask() throws Exception {
    String body =
        "{\"title\": \"pay invoice 17\", \"priority\": \"high\","
            + " \"required_capabilities\": [{\"name\": \"api.nobody\", \"minimum_proficiency\": 0.5}]}";
    var first = http.post("/api/tasks", body, "Idempotency-Key", "invoice-17");
    var again = http.post("/api/tasks", body, "Idempotency-Key", "invoice-17");
    assertEquals(201, first.status());
    assertEquals(200, again.status());
    assertEquals(first.json().get("id"), again.json().get("id"));
    var byField = http.post("/api/tasks", "{\"title\": \"x\", \"idempotency_key\": \"f-1\"}");
    assertEquals(
        byField.json().get("id"),
        http.post("/api/tasks", "{\"title\": \"x\", \"idempotency_key\": \"f-1\"}")
            .json()
            .get("id"));
  }

  @Test
  void invalidFieldsAreAllNamedInOneAnswer() throws Exception {
    var r =
        http.post(
            "/api/tasks",
            """
        {"title": 5, "priority": "urgent", "bogus": 1, "max_attempts": 1e40,
         "required_capabilities": [{"name": "x", "minimum_proficiency": "high"}]}""");
    assertErrorBody(r, 400, "validation_failed");
    List<String> fields = new java.util.ArrayList<>();
    r.json().at("/error/field_errors").forEach(f -> fields.add(f.get("field").asText()));
    assertEquals(
        List.of(
            "bogus",
            "title",
            "priority",
            "required_capabilities[0].minimum_proficiency",
            "max_attempts"),
        fields);
    var agent =
        http.post(
            "/api/agents",
            "{\"name\": \"\", \"type\": \"boss\","
                + " \"capabilities\": [{\"name\": \"c\", \"proficiency\": 2}], \"skill\": \"gpt\"}");
    assertErrorBody(agent, 400, "validation_failed");
    assertEquals(4, agent.json().at("/error/field_errors").size(), agent.body());
  }

  @Test
  void cancelIsIdempotentlyRefusedOnceFinishedAndUnknownTasksAre404() throws Exception {
    var task =
        http.post(
            "/api/tasks",
            "{\"title\": \"never runs\", \"required_capabilities\":"
                + " [{\"name\": \"api.none\", \"minimum_proficiency\": 0.9}]}");
    String id = task.json().get("id").asText();
    var cancelled = http.post("/api/tasks/" + id + "/cancel", "");
    assertEquals(200, cancelled.status(), cancelled.body());
    assertEquals("cancelled", cancelled.json().get("status").asText());
    assertErrorBody(http.post("/api/tasks/" + id + "/cancel", ""), 409, "conflict");
    assertErrorBody(http.get("/api/tasks/nope"), 404, "not_found");
    assertErrorBody(http.post("/api/tasks/nope/cancel", ""), 404, "not_found");
  }

  @Test
  void transportMistakesGetTheErrorBodyToo() throws Exception {
    assertErrorBody(http.get("/api/unknown"), 404, "no_route");
    assertErrorBody(http.method("PUT", "/api/tasks"), 405, "method_not_allowed");
    assertErrorBody(
        http.postBytes("/api/tasks", "x".getBytes(), "text/plain"), 415, "unsupported_media_type");
    assertErrorBody(
        http.post("/api/tasks", "{\"title\": \"" + "a".repeat(70_000) + "\"}"),
        413,
        "body_too_large");
    assertErrorBody(http.post("/api/tasks", "{\"title\": "), 400, "malformed_json");
    assertErrorBody(http.post("/api/tasks", "[1, 2]"), 400, "not_an_object");
    assertErrorBody(
        http.post("/api/tasks", "[".repeat(500) + "]".repeat(500)), 400, "malformed_json");
    assertErrorBody(
        http.postBytes(
            "/api/tasks",
            new byte[] {'{', '"', 't', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'},
            "application/json"),
        400,
        "malformed_json");
    assertErrorBody(http.get("/api/agents?limit=0"), 400, "validation_failed");
    assertErrorBody(http.get("/api/agents?colour=blue"), 400, "validation_failed");
  }

  @Test
  void healthReadyAndBanner() throws Exception {
    assertEquals(200, http.get("/health").status());
    assertEquals("ready", http.get("/ready").json().get("status").asText());
    assertTrue(http.get("/").body().contains("<title>Agent Hive</title>"));
  }

  @Test
  void listsTasksWithFiltersAndStablePaging() throws Exception {
    List<String> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(
          http.post(
                  "/api/tasks",
                  "{\"title\": \"list-"
                      + i
                      + "\", \"priority\": \"low\","
                      + " \"required_capabilities\": [{\"name\": \"api.list\", \"minimum_proficiency\":"
                      + " 0.5}]}")
              .json()
              .get("id")
              .asText());
    }
    http.getUntil(
        "/api/tasks?priority=low&limit=1000",
        r -> r.body().contains(ids.get(4)),
        "the read model to hold the new tasks");
    var first = http.get("/api/tasks?priority=low&status=pending&limit=3");
    assertEquals(200, first.status(), first.body());
    List<String> seen = new java.util.ArrayList<>();
    first.json().get("items").forEach(t -> seen.add(t.get("id").asText()));
    String cursor = first.json().get("next_cursor").asText();
    var second = http.get("/api/tasks?priority=low&status=pending&limit=3&cursor=" + cursor);
    second.json().get("items").forEach(t -> seen.add(t.get("id").asText()));
    assertTrue(seen.containsAll(ids), "both pages together hold all five: " + seen);
    assertEquals(seen.size(), new java.util.HashSet<>(seen).size(), "no task on two pages");
    assertErrorBody(http.get("/api/tasks?status=sleeping"), 400, "validation_failed");
  }

  @Test
  void agentsCanBePausedResumedAndRetired() throws Exception {
    String id =
        http.post(
                "/api/agents",
                "{\"name\": \"api-life\", \"type\": \"worker\"," + " \"skill\": \"noop\"}")
            .json()
            .get("id")
            .asText();
    assertEquals(
        "paused", http.post("/api/agents/" + id + "/pause", "").json().get("state").asText());
    // lists read the agent view projection, so they follow the change within moments
    http.getUntil(
        "/api/agents?state=paused",
        r -> r.json().at("/items/0/id").asText().equals(id),
        "the paused agent listed as paused");
    assertEquals(
        "idle", http.post("/api/agents/" + id + "/resume", "").json().get("state").asText());
    assertEquals(
        "retired",
        http.method("DELETE", "/api/agents/" + id + "?drain=false").json().get("state").asText());
    assertErrorBody(http.post("/api/agents/" + id + "/resume", ""), 409, "conflict");
    assertErrorBody(
        http.method("DELETE", "/api/agents/" + id + "?drain=maybe"), 400, "validation_failed");
    assertErrorBody(http.post("/api/agents/nobody/pause", ""), 404, "not_found");
  }

  @Test
  void agentListFiltersByCapabilityTypeAndWorkingState() throws Exception {
    String ranker =
        http.post(
                "/api/agents",
                "{\"name\": \"api-ranker\", \"type\":"
                    + " \"specialist:ranking\", \"skill\": \"noop\", \"capabilities\": [{\"name\":"
                    + " \"api.rank\", \"proficiency\": 0.7}, {\"name\": \"api.sort\", \"proficiency\": 0.4}]}")
            .json()
            .get("id")
            .asText();
    var byCapability =
        http.getUntil(
            "/api/agents?capability=api.sort",
            r -> r.json().get("items").size() == 1,
            "the ranker listed by its second capability");
    assertEquals(ranker, byCapability.json().at("/items/0/id").asText());
    assertEquals(
        ranker,
        http.get("/api/agents?type=specialist:ranking&capability=api.rank")
            .json()
            .at("/items/0/id")
            .asText());
    assertEquals(
        0,
        http.get("/api/agents?type=worker&capability=api.rank").json().get("items").size(),
        "filters combine");
    assertEquals(
        0,
        http.get("/api/agents?state=working&capability=api.rank").json().get("items").size(),
        "an idle agent is not listed as working");
    assertErrorBody(http.get("/api/agents?state=sleeping"), 400, "validation_failed");
  }

  @Test
  void onlyAFailedTaskCanBeRetried() throws Exception {
    String id =
        http.post(
                "/api/tasks",
                "{\"title\": \"waiting\", \"required_capabilities\":"
                    + " [{\"name\": \"api.never\", \"minimum_proficiency\": 0.5}]}")
            .json()
            .get("id")
            .asText();
    assertErrorBody(http.post("/api/tasks/" + id + "/retry", ""), 409, "conflict");
    assertErrorBody(http.post("/api/tasks/missing/retry", ""), 404, "not_found");
  }

  @Test
  void hiveStatusCountsAgentsTasksAndQueue() throws Exception {
    http.post(
        "/api/agents",
        "{\"name\": \"api-status\", \"type\": \"worker\", \"skill\": \"noop\","
            + " \"capabilities\": [{\"name\": \"api.status\", \"proficiency\": 0.6}]}");
    String done =
        http.post(
                "/api/tasks",
                "{\"title\": \"status-done\","
                    + " \"required_capabilities\": [{\"name\": \"api.status\", \"minimum_proficiency\":"
                    + " 0.1}]}")
            .json()
            .get("id")
            .asText();
    http.getUntil(
        "/api/tasks/" + done,
        r -> "completed".equals(r.json().get("status").asText()),
        "the task to complete");
    var r =
        http.getUntil(
            "/api/hive/status",
            reply -> reply.json().at("/tasks/completed").asLong() >= 1,
            "the read model to count it");
    assertEquals(200, r.status(), r.body());
    var s = r.json();
    assertEquals("agent-hive", s.get("hive_id").asText());
    assertTrue(s.at("/tasks/completed").asLong() >= 1, r.body());
    assertTrue(s.at("/agents/idle").asLong() >= 1, r.body());
    for (String p : List.of("low", "medium", "high", "critical")) {
      assertTrue(s.get("queue_depth").has(p), r.body());
    }
    assertTrue(s.get("tasks_per_second_last_minute").asDouble() > 0, r.body());
    assertTrue(s.get("average_performance").asDouble() > 0, r.body());
    assertTrue(s.get("uptime_ms").asLong() >= 0);
  }
}
