package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agenthive.skill.ProviderStandIn;
import io.agenthive.skill.ProviderStandIn.Reply;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Consensus steps on a real hub: three {@code llm} voters whose stand-in models answer "Paris",
 * "paris." and "Lyon" (by model name), and a judge whose model answers "Lyon". A majority picks
 * Paris (normalised match), the judge picks Lyon though it is the minority; each voter ran on its
 * own agent, and the step's output keeps every answer, the rule and the winner.
 */
class ConsensusWorkflowTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Map<String, String> ANSWERS =
      Map.of("voter-a", "Paris", "voter-b", "paris.", "voter-c", "Lyon", "judge", "Lyon");
  @TempDir static Path dataDir;
  static ApiTestHub hub;
  static ProviderStandIn provider;

  @BeforeAll
  static void start() throws Exception {
    hub = ApiTestHub.start("consensus", dataDir, "");
    provider =
        new ProviderStandIn(hub.kit.system(), Reply.status(500, "{\"error\":\"unscripted\"}"));
    provider.answerWith(ConsensusWorkflowTest::answer);
    // ranked apart: ranking alone would send every voter to voter-a; only the spread does not
    Map<String, Double> proficiency =
        Map.of("voter-a", 0.95, "voter-b", 0.9, "voter-c", 0.85, "judge", 0.9);
    for (String name : ANSWERS.keySet()) {
      agent(name, name.equals("judge") ? "cs.judge" : "cs.vote", proficiency.get(name));
    }
  }

  @AfterAll
  static void stop() throws Exception {
    provider.close();
    hub.stop();
  }

  static void agent(String name, String capability, double proficiency) throws Exception {
    ObjectNode agent = JSON.createObjectNode().put("name", name).put("type", "worker");
    agent
        .putArray("capabilities")
        .addObject()
        .put("name", capability)
        .put("proficiency", proficiency);
    agent
        .putObject("skill")
        .put("name", "llm")
        .putObject("config")
        .put("base_url", provider.url("/v1"))
        .put("model", name)
        .put("api_key_env", "HOME")
        .put("timeout_ms", 5000);
    agent.put("max_concurrency", 3); // room for every voter: the matcher must spread them
    var r = hub.http.post("/api/agents", agent.toString());
    assertEquals(201, r.status(), r.body());
  }

  /** Each model's fixed answer. */
  static Reply answer(String body) {
    try {
      String model = JSON.readTree(body).get("model").asText();
      ObjectNode c = JSON.createObjectNode().put("id", "c1").put("object", "chat.completion");
      c.put("created", 1763800000).put("model", model);
      ObjectNode choice = c.putArray("choices").addObject().put("index", 0);
      choice.putObject("message").put("role", "assistant").put("content", ANSWERS.get(model));
      choice.put("finish_reason", "stop");
      return Reply.ok(c.toString());
    } catch (Exception e) {
      return Reply.status(500, "{\"error\":\"" + e.getMessage() + "\"}");
    }
  }

  static ObjectNode vote(String rule) {
    ObjectNode s = JSON.createObjectNode().put("name", "vote").put("kind", "consensus");
    s.put("title", "capital of France").put("input", "What is the capital of France?");
    s.put("voters", 3).put("rule", rule).put("max_attempts", 1);
    s.putArray("required_capabilities").addObject().put("name", "cs.vote");
    if (rule.equals("judge")) {
      s.putObject("judge").putArray("required_capabilities").addObject().put("name", "cs.judge");
    }
    return s;
  }

  /** Submits a workflow of a consensus step and a step after it; the ended workflow. */
  static JsonNode run(ObjectNode consensus) throws Exception {
    ObjectNode wf = JSON.createObjectNode().put("name", "consensus");
    wf.putArray("tasks").add(consensus);
    var created = hub.http.post("/api/workflows", wf.toString());
    assertEquals(201, created.status(), created.body());
    return hub.http
        .getUntil(
            "/api/workflows/" + created.json().get("id").asText(),
            r -> !r.json().get("status").asText().matches("running|cancelling"),
            "the consensus workflow to end")
        .json();
  }

  /** The step's output: its tally task's. */
  static JsonNode outputOf(JsonNode wf, String step) throws Exception {
    for (JsonNode t : wf.get("tasks")) {
      if (t.get("name").asText().equals(step)) {
        return hub.http.get("/api/tasks/" + t.get("task_id").asText()).json().at("/result/output");
      }
    }
    throw new AssertionError("no step " + step + " in " + wf);
  }

  @Test
  void aMajorityOfThreeDistinctAgentsPicksTheAnswerTwoGave() throws Exception {
    JsonNode wf = run(vote("majority"));
    assertEquals("completed", wf.get("status").asText(), wf.toString());
    JsonNode out = outputOf(wf, "vote");
    assertEquals("majority", out.get("rule").asText(), out.toString());
    assertEquals(3, out.get("answers").size(), out.toString());
    assertEquals(2, out.get("votes").asInt(), out.toString());
    String winner = out.at("/winner/answer").asText();
    assertTrue(winner.equals("Paris") || winner.equals("paris."), out.toString());
    Set<String> agents = new HashSet<>();
    // each stand-in model is named after its agent, and an llm output names its model
    out.get("answers").forEach(a -> agents.add(a.at("/output/model").asText()));
    Set<String> agentIds = new HashSet<>();
    out.get("answers").forEach(a -> agentIds.add(a.path("agent_id").asText()));
    assertEquals(3, agentIds.size(), "each answer names its agent: " + out);
    assertEquals(3, agents.size(), "each voter ran on its own agent: " + agents);
  }

  @Test
  void aJudgesChoiceWinsEvenAsTheMinority() throws Exception {
    JsonNode wf = run(vote("judge"));
    assertEquals("completed", wf.get("status").asText(), wf.toString());
    JsonNode out = outputOf(wf, "vote");
    assertEquals("judge", out.get("rule").asText(), out.toString());
    assertEquals("Lyon", out.at("/winner/answer").asText(), out.toString());
    assertEquals(1, out.get("votes").asInt());
    assertEquals("Lyon", out.at("/judge/answer").asText());
    int index = out.get("winner_index").asInt();
    assertEquals("Lyon", out.at("/answers/" + (index - 1) + "/output/answer").asText());
    // the judge's model saw every answer in its prompt
    List<String> asked = provider.bodiesFor("judge");
    String last = asked.get(asked.size() - 1);
    for (String answer : List.of("Paris", "paris.", "Lyon")) {
      assertTrue(last.contains(answer), "the judge's prompt holds " + answer + ": " + last);
    }
    // and nobody decides a tally by hand
    String tally = null;
    for (JsonNode t : wf.get("tasks")) {
      if (t.get("name").asText().equals("vote")) {
        tally = t.get("task_id").asText();
      }
    }
    var forged = hub.http.post("/api/tasks/" + tally + "/signals/consensus", "{\"winner\":1}");
    assertEquals(400, forged.status(), forged.body());
    assertTrue(forged.body().contains("hub's own"), forged.body());
  }

  @Test
  void aBadConsensusStepIsRefusedNamingItsField() throws Exception {
    ObjectNode tooMany = vote("majority").put("voters", 9);
    assertRefused(tooMany, "tasks[0].voters");
    assertRefused(vote("judge").put("rule", "loudest"), "tasks[0].rule");
    ObjectNode noJudge = vote("majority").put("rule", "judge");
    assertRefused(noJudge, "tasks[0].judge");
    ObjectNode badMatch = vote("majority").put("match", "fuzzy");
    assertRefused(badMatch, "tasks[0].match");
  }

  static void assertRefused(ObjectNode step, String field) throws Exception {
    ObjectNode wf = JSON.createObjectNode().put("name", "bad");
    wf.putArray("tasks").add(step);
    var r = hub.http.post("/api/workflows", wf.toString());
    assertEquals(400, r.status(), r.body());
    assertTrue(r.body().contains("\"" + field + "\""), field + " named in " + r.body());
  }
}
