package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Escalation on a real hub: a retry goes to another qualifying agent, a ladder moves attempt 2 to
 * its second rung, /explain says so, and a task with one qualifying agent is still retried there.
 * Agents with the {@code always-fails} skill fail every attempt, those with {@code noop} complete.
 */
class EscalationTest {
  @TempDir static Path dataDir;
  static ApiTestHub hub;
  static HttpTestClient http;

  @BeforeAll
  static void start() throws Exception {
    hub = ApiTestHub.start("EscalationTest", dataDir, "");
    http = hub.http;
  }

  @AfterAll
  static void stop() {
    hub.stop();
  }

  static JsonNode explain(String taskBody) throws Exception {
    var r = http.post("/api/tasks", taskBody);
    assertEquals(201, r.status(), r.body());
    String id = r.json().get("id").asText();
    http.getUntil(
        "/api/tasks/" + id,
        t -> t.json().get("status").asText().matches("completed|failed"),
        id + " ended");
    return http.get("/api/tasks/" + id + "/explain").json();
  }

  static String agent(String name, String skill, String cap, double p) throws Exception {
    var r =
        http.post(
            "/api/agents",
            "{\"name\": \""
                + name
                + "\", \"type\": \"worker\", \"skill\": \""
                + skill
                + "\", \"capabilities\": [{\"name\": \""
                + cap
                + "\", \"proficiency\": "
                + p
                + "}]}");
    assertEquals(201, r.status(), r.body());
    return r.json().get("id").asText();
  }

  @Test
  void aRetryGoesToAnotherQualifyingAgentNotTheOneThatFailed() throws Exception {
    String failing = agent("esc-failing", "always-fails", "esc.retry", 0.9);
    String other = agent("esc-other", "noop", "esc.retry", 0.3);
    JsonNode explain =
        explain(
            "{\"title\": \"retry elsewhere\", \"max_attempts\": 2, \"required_capabilities\":"
                + " [{\"name\": \"esc.retry\", \"minimum_proficiency\": 0.2}]}");
    assertEquals("completed", explain.get("final_status").asText(), explain.toString());
    assertEquals(failing, explain.at("/attempts/0/agent_id").asText());
    assertEquals(other, explain.at("/attempts/1/agent_id").asText());
    assertEquals(
        "attempt 2: agent " + failing + " skipped: failed attempt 1",
        explain.at("/attempts/1/escalation").asText(),
        explain.toString());
  }

  @Test
  void aLadderMovesTheSecondAttemptToItsSecondRung() throws Exception {
    String cheap = agent("esc-cheap", "always-fails", "esc.cheap", 0.9);
    String strong = agent("esc-strong", "noop", "esc.strong", 0.8);
    JsonNode explain =
        explain(
            "{\"title\": \"climb\", \"max_attempts\": 3, \"escalation\": ["
                + "{\"capability\": \"esc.cheap\", \"minimum_proficiency\": 0.5},"
                + " {\"capability\": \"esc.strong\", \"minimum_proficiency\": 0.7}]}");
    assertEquals("completed", explain.get("final_status").asText(), explain.toString());
    assertEquals(cheap, explain.at("/attempts/0/agent_id").asText());
    assertEquals(1, explain.at("/attempts/0/rung").asInt());
    assertEquals(strong, explain.at("/attempts/1/agent_id").asText());
    assertEquals(2, explain.at("/attempts/1/rung").asInt());
    assertEquals(
        "attempt 2: rung 2 (capability esc.strong ≥ 0.7)",
        explain.at("/attempts/1/escalation").asText());
  }

  @Test
  void withOneQualifyingAgentTheRetryStillGoesToIt() throws Exception {
    String only = agent("esc-only", "always-fails", "esc.only", 0.9);
    JsonNode explain =
        explain(
            "{\"title\": \"nowhere else\", \"max_attempts\": 2, \"required_capabilities\":"
                + " [{\"name\": \"esc.only\"}]}");
    assertEquals("failed", explain.get("final_status").asText(), explain.toString());
    assertEquals(2, explain.get("attempts").size());
    assertEquals(only, explain.at("/attempts/1/agent_id").asText());
  }

  @Test
  void aBadLadderIsRefusedNamingTheRungsField() throws Exception {
    assertEquals(
        Set.of("escalation[1].capability", "escalation[2].tag", "escalation[2].capability"),
        refused(
            "{\"title\": \"t\", \"escalation\": [{\"capability\": \"ok.cap\"},"
                + " {\"capability\": \"Not A Capability!\"}, {\"tag\": \"gpu\"}]}"));
    assertEquals(
        Set.of("escalation[0].minimum_proficiency"),
        refused(
            "{\"title\": \"t\", \"escalation\": [{\"capability\": \"a\","
                + " \"minimum_proficiency\": 1.5}]}"));
    assertEquals(
        Set.of("escalation"),
        refused(
            "{\"title\": \"t\", \"escalation\": [{\"capability\": \"a\"}, {\"capability\": \"b\"},"
                + " {\"capability\": \"c\"}, {\"capability\": \"d\"}, {\"capability\": \"e\"},"
                + " {\"capability\": \"f\"}]}"));
  }

  private static Set<String> refused(String body) throws Exception {
    var r = http.post("/api/tasks", body);
    assertEquals(400, r.status(), r.body());
    Set<String> fields = new HashSet<>();
    r.json().at("/error/field_errors").forEach(f -> fields.add(f.get("field").asText()));
    return fields;
  }

  @Test
  void aWorkflowStepClimbsItsLadderAndABadStepLadderIsNamed() throws Exception {
    agent("esc-wf-cheap", "always-fails", "esc.wf.cheap", 0.9);
    String strong = agent("esc-wf-strong", "noop", "esc.wf.strong", 0.8);
    var created =
        http.post(
            "/api/workflows",
            "{\"name\": \"climbing\", \"tasks\": [{\"name\": \"s\", \"title\": \"s\","
                + " \"max_attempts\": 2, \"escalation\": [{\"capability\": \"esc.wf.cheap\"},"
                + " {\"capability\": \"esc.wf.strong\"}]}]}");
    assertEquals(201, created.status(), created.body());
    JsonNode wf =
        http.getUntil(
                "/api/workflows/" + created.json().get("id").asText(),
                r -> !r.json().get("status").asText().matches("running|cancelling"),
                "the workflow to end")
            .json();
    String taskId = wf.at("/tasks/0/task_id").asText();
    JsonNode explain = http.get("/api/tasks/" + taskId + "/explain").json();
    assertEquals(strong, explain.at("/attempts/1/agent_id").asText(), explain.toString());
    assertEquals(2, explain.at("/attempts/1/rung").asInt());

    var bad =
        http.post(
            "/api/workflows",
            "{\"name\": \"bad\", \"tasks\": [{\"name\": \"s\", \"title\": \"s\","
                + " \"escalation\": [{\"capability\": \"\"}]}]}");
    assertEquals(400, bad.status(), bad.body());
    assertEquals(
        "tasks[0].escalation[0].capability", bad.json().at("/error/field_errors/0/field").asText());
  }
}
