package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.http.json.Json;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** History, explain, the NDJSON audit stream and time travel, after a scripted run. */
class AuditRoutesTest {
  @TempDir static Path dataDir;
  static ApiTestHub hub;
  static HttpTestClient http;

  @BeforeAll
  static void start() throws Exception {
    hub = ApiTestHub.start("AuditRoutesTest", dataDir, "");
    http = hub.http;
  }

  @AfterAll
  static void stop() {
    hub.stop();
  }

  static String agent(String name, String skill, String cap, double p) throws Exception {
    var r =
        http.post(
            "/api/agents",
            "{\"name\": \""
                + name
                + "\", \"type\": \"worker\","
                + " \"skill\": \""
                + skill
                + "\", \"capabilities\": [{\"name\": \""
                + cap
                + "\","
                + " \"proficiency\": "
                + p
                + "}]}");
    assertEquals(201, r.status(), r.body());
    return r.json().get("id").asText();
  }

  static String task(String title, String cap, int maxAttempts) throws Exception {
    var r =
        http.post(
            "/api/tasks",
            "{\"title\": \""
                + title
                + "\", \"max_attempts\": "
                + maxAttempts
                + ", \"required_capabilities\": [{\"name\": \""
                + cap
                + "\","
                + " \"minimum_proficiency\": 0.2}]}");
    assertEquals(201, r.status(), r.body());
    return r.json().get("id").asText();
  }

  static JsonNode until(String id, String status) {
    return http.getUntil(
            "/api/tasks/" + id,
            r -> status.equals(r.json().get("status").asText()),
            id + " " + status)
        .json();
  }

  static List<String> types(JsonNode history) {
    List<String> out = new ArrayList<>();
    history.get("events").forEach(e -> out.add(e.get("type").asText()));
    return out;
  }

  @Test
  void historyAndExplainTellWhatHappenedAndWhy() throws Exception {
    // a registration is answered by the matcher, so both are candidates for the task below
    String strong = agent("audit-strong", "noop", "audit.a", 0.9);
    agent("audit-weak", "noop", "audit.a", 0.4);
    String id = task("explain me", "audit.a", 3);
    until(id, "completed");

    JsonNode history = http.get("/api/tasks/" + id + "/history").json();
    assertEquals(List.of("TaskSubmitted", "TaskStarted", "TaskCompleted"), types(history));
    for (int i = 0; i < 3; i++) {
      assertEquals(i + 1, history.at("/events/" + i + "/sequence_nr").asInt());
    }
    // the outcome carries what the agent learned: the agent journals nothing per task
    assertEquals(strong, history.at("/events/2/payload/agent/agent_id").asText());
    assertEquals("audit.a", history.at("/events/2/payload/agent/learning/0/capability").asText());
    JsonNode explain = http.get("/api/tasks/" + id + "/explain").json();
    assertEquals("completed", explain.get("final_status").asText());
    assertEquals(1, explain.get("attempts").size());
    JsonNode attempt = explain.at("/attempts/0");
    assertEquals(strong, attempt.get("agent_id").asText());
    assertEquals(strong, attempt.at("/reason/winner").asText());
    assertEquals(2, attempt.at("/reason/candidates").size());
    assertEquals("completed", attempt.get("outcome").asText());

    JsonNode agentHistory = http.get("/api/agents/" + strong + "/history").json();
    assertEquals(List.of("AgentRegistered"), types(agentHistory));
    assertEquals(404, http.get("/api/tasks/nope/history").status());
  }

  @Test
  void explainShowsEveryFailedAttempt() throws Exception {
    agent("audit-failing", "always-fails", "audit.f", 0.5);
    String id = task("fails twice", "audit.f", 2);
    until(id, "failed");
    JsonNode explain = http.get("/api/tasks/" + id + "/explain").json();
    assertEquals(2, explain.get("attempts").size());
    assertEquals("failed, retried", explain.at("/attempts/0/outcome").asText());
    assertEquals("failed", explain.at("/attempts/1/outcome").asText());
    assertEquals("nope", explain.at("/attempts/1/error").asText());
  }

  @Test
  void auditEventsStreamAsFilteredNdjson() throws Exception {
    agent("audit-nd", "noop", "audit.n", 0.5);
    String id = task("ndjson", "audit.n", 1);
    until(id, "completed");
    var r = http.get("/api/audit/events?entity_kind=task&type=TaskCompleted&entity_id=" + id);
    assertEquals(200, r.status());
    assertTrue(r.header("Content-Type").startsWith("application/x-ndjson"));
    String[] lines = r.body().strip().split("\n");
    assertEquals(1, lines.length, r.body());
    assertEquals(id, Json.MAPPER.readTree(lines[0]).get("entity_id").asText());
    // offsets order the whole journal, and not every row is an audit event (sharding keeps which
    // workflows to restart there too): the third event's offset, not 3, bounds the first three
    var every = http.get("/api/audit/events").body().strip().split("\n");
    long third = Json.MAPPER.readTree(every[2]).get("offset").asLong();
    var all = http.get("/api/audit/events?to_offset=" + third).body().strip().split("\n");
    assertEquals(3, all.length);
    assertEquals(400, http.get("/api/audit/events?from=yesterday").status());
  }

  @Test
  void timeTravelRebuildsTheStatesSeenLiveAtThreeInstants() throws Exception {
    String agentId = agent("audit-tt", "noop", "audit.t", 0.5);
    Instant t1 = instantBetweenWrites();
    JsonNode agentAtT1 = http.get("/api/agents/" + agentId).json();
    String first = task("tt-first", "audit.t", 1);
    until(first, "completed");
    JsonNode agentAtT2 =
        http.getUntil(
                "/api/agents/" + agentId,
                r -> r.json().at("/stats/tasks_completed").asInt() == 1,
                "the agent's completion")
            .json();
    Instant t2 = instantBetweenWrites();
    JsonNode firstAtT2 = http.get("/api/tasks/" + first).json();
    String second = task("tt-second", "audit.t", 1);
    until(second, "completed");
    Instant t3 = instantBetweenWrites();

    JsonNode s1 = http.get("/api/hive/state?at=" + t1).json();
    assertEquals(
        agentAtT1.get("capabilities"), find(s1.get("agents"), agentId).get("capabilities"));
    assertNull(find(s1.get("tasks"), first), "the first task did not exist yet");

    JsonNode s2 = http.get("/api/hive/state?at=" + t2).json();
    assertEquals(firstAtT2, find(s2.get("tasks"), first), "task exactly as seen live");
    assertEquals(agentAtT2.get("stats"), find(s2.get("agents"), agentId).get("stats"));
    assertNull(find(s2.get("tasks"), second));

    JsonNode s3 = http.get("/api/hive/state?at=" + t3).json();
    assertEquals(http.get("/api/tasks/" + second).json(), find(s3.get("tasks"), second));
    assertEquals(2, find(s3.get("agents"), agentId).at("/stats/tasks_completed").asInt());
    assertEquals(400, http.get("/api/hive/state").status());
  }

  @Test
  void timeTravelShowsTheAgentOfARunningTaskWorking() throws Exception {
    // the simulated skill takes at least 500 ms: the middle of the run is well inside it
    String agentId = agent("audit-busy", "simulated", "audit.busy", 1.0);
    String id = task("tt-running", "audit.busy", 5);
    until(id, "completed");
    // time travel reads the journal as written: take the middle between the writes of the last
    // start and the end (an event's own time can be earlier than its write on a busy machine)
    Instant started = null;
    Instant ended = null;
    for (JsonNode e : http.get("/api/tasks/" + id + "/history").json().get("events")) {
      Instant written = Instant.parse(e.get("timestamp").asText());
      switch (e.get("type").asText()) {
        case "TaskStarted" -> started = written;
        case "TaskCompleted" -> ended = written;
        default -> {}
      }
    }
    assertNotNull(started, "a start journaled");
    assertNotNull(ended, "an end journaled");
    Instant middle = started.plus(java.time.Duration.between(started, ended).dividedBy(2));

    JsonNode s = http.get("/api/hive/state?at=" + middle).json();
    assertEquals("running", find(s.get("tasks"), id).get("status").asText());
    JsonNode agent = find(s.get("agents"), agentId);
    assertEquals("working", agent.get("state").asText(), agent.toString());
    assertEquals(id, agent.get("current_task_id").asText());
    assertEquals(1, agent.get("running_tasks").asInt());
    // and no task runs on an agent the same state calls idle
    for (JsonNode t : s.get("tasks")) {
      if (t.get("status").asText().equals("running") && t.hasNonNull("assigned_agent")) {
        JsonNode runner = find(s.get("agents"), t.get("assigned_agent").asText());
        assertEquals("working", runner.get("state").asText(), t.toString());
      }
    }
  }

  @Test
  void replayingUpToNowGivesExactlyTheLiveState() throws Exception {
    JsonNode state = http.get("/api/hive/state?at=" + Instant.now().plusSeconds(5)).json();
    for (JsonNode task : state.get("tasks")) {
      assertEquals(http.get("/api/tasks/" + task.get("id").asText()).json(), task);
    }
    for (JsonNode agent : state.get("agents")) {
      JsonNode live = http.get("/api/agents/" + agent.get("id").asText()).json();
      assertEquals(live.get("capabilities"), agent.get("capabilities"));
      assertEquals(live.get("stats"), agent.get("stats"));
      assertEquals(live.get("state"), agent.get("state"));
    }
  }

  /**
   * An instant strictly between what was journaled before the call and what is journaled after it:
   * the journal stamps events in whole milliseconds, so wait for the millisecond to turn, take the
   * instant, and wait for it to turn again.
   */
  static Instant instantBetweenWrites() {
    long before = System.currentTimeMillis();
    io.agenthive.testing.Eventually.eventually(
        () -> System.currentTimeMillis() > before ? true : null, "the clock to move on");
    Instant between = Instant.now();
    io.agenthive.testing.Eventually.eventually(
        () -> System.currentTimeMillis() > between.toEpochMilli() ? true : null,
        "the clock to move on");
    return between;
  }

  static JsonNode find(JsonNode items, String id) {
    for (JsonNode n : items) {
      if (n.get("id").asText().equals(id)) {
        return n;
      }
    }
    return null;
  }
}
