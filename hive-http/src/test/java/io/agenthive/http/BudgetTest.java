package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agenthive.skill.ProviderStandIn;
import io.agenthive.skill.ProviderStandIn.Reply;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A token budget against the local OpenAI-compatible stand-in: each answer reports 300 tokens (200
 * in, 100 out), so a 1,000-token budget lets three tasks run, holds the fourth with {@code
 * budget_exhausted} (pending, not failed: a fourth would take it to 1,200) and releases it when an
 * admin raises the limit. The price table makes the same calls cost money.
 */
class BudgetTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dataDir;
  static ApiTestHub hub;
  static ProviderStandIn provider;
  static String agentId;

  @BeforeAll
  static void start() throws Exception {
    hub =
        ApiTestHub.start(
            "budgets",
            dataDir,
            "hive.budgets.prices { \"stand-in-1\" { input-per-1k = 1.0, output-per-1k = 2.0 } }");
    provider = new ProviderStandIn(hub.kit.system(), Reply.ok(completion()));
    ObjectNode agent = JSON.createObjectNode().put("name", "spender").put("type", "worker");
    agent.putArray("capabilities").addObject().put("name", "bud.write").put("proficiency", 0.9);
    agent
        .putObject("skill")
        .put("name", "llm")
        .putObject("config")
        .put("base_url", provider.url("/v1"))
        .put("model", "stand-in-1")
        .put("api_key_env", "HOME")
        .put("timeout_ms", 5000);
    var r = hub.http.post("/api/agents", agent.toString());
    assertEquals(201, r.status(), r.body());
    agentId = r.json().get("id").asText();
  }

  @AfterAll
  static void stop() throws Exception {
    provider.close();
    hub.stop();
  }

  static String completion() {
    return "{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1763800000,"
        + "\"model\":\"stand-in-1\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
        + "\"content\":\"done\"},\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":200,\"completion_tokens\":100,\"total_tokens\":300}}";
  }

  static String submit(String title) throws Exception {
    var r =
        hub.http.post(
            "/api/tasks",
            "{\"title\":\""
                + title
                + "\",\"input\":\"go\",\"max_attempts\":1,"
                + "\"required_capabilities\":[{\"name\":\"bud.write\"}]}");
    assertEquals(201, r.status(), r.body());
    return r.json().get("id").asText();
  }

  static JsonNode budget(String name) {
    return hub.http
        .getUntil("/api/budgets", r -> find(r.json(), name) != null, "budget " + name + " listed")
        .json();
  }

  static JsonNode find(JsonNode list, String name) {
    for (JsonNode b : list.get("budgets")) {
      if (b.get("name").asText().equals(name)) {
        return b;
      }
    }
    return null;
  }

  static void completedAndCounted(String taskId, double spent) {
    hub.http.getUntil(
        "/api/tasks/" + taskId,
        r -> r.json().get("status").asText().equals("completed"),
        taskId + " completed");
    hub.http.getUntil(
        "/api/budgets",
        r -> find(r.json(), "spender-tokens").get("spent").asDouble() == spent,
        "the budget to have spent " + spent);
  }

  @Test
  void aTokenBudgetHoldsTheNextTaskAndReleasesItWhenTheLimitIsRaised() throws Exception {
    String put =
        "{\"scope\":\"agent\",\"target\":\""
            + agentId
            + "\",\"metric\":\"tokens\",\"limit\":LIMIT,"
            + "\"period\":\"day\"}";
    var set = hub.http.method("PUT", "/api/budgets/spender-tokens", put.replace("LIMIT", "1000"));
    assertEquals(200, set.status(), set.body());
    var cost =
        hub.http.method(
            "PUT",
            "/api/budgets/spender-cost",
            "{\"scope\":\"agent\",\"target\":\""
                + agentId
                + "\",\"metric\":\"cost\",\"limit\":100}");
    assertEquals(200, cost.status(), cost.body());
    budget("spender-tokens");
    for (int i = 1; i <= 3; i++) {
      completedAndCounted(submit("paid " + i), 300.0 * i);
    }
    JsonNode list = hub.http.get("/api/budgets").json();
    JsonNode tokens = find(list, "spender-tokens");
    assertTrue(tokens.get("exhausted").asBoolean(), "a fourth task would pass 1000: " + tokens);
    assertEquals(3, tokens.get("tasks").asInt());
    assertFalse(tokens.get("resets_at").isNull(), "a daily budget resets");
    // 3 calls of 200 input tokens at 1.0/1k and 100 output tokens at 2.0/1k
    assertEquals(1.2, find(list, "spender-cost").get("spent").asDouble(), 1e-9);

    String held = submit("held");
    JsonNode explain =
        hub.http
            .getUntil(
                "/api/tasks/" + held + "/explain",
                r -> r.json().path("held_by").size() > 0,
                "the held task's explanation naming the budget")
            .json();
    JsonNode why = explain.at("/held_by/0");
    assertEquals("budget_exhausted", why.get("reason").asText());
    assertEquals("spender-tokens", why.get("budget").asText());
    assertEquals(900.0, why.get("spent").asDouble());
    assertEquals(1000.0, why.get("limit").asDouble());
    assertFalse(why.get("resets_at").isNull());
    JsonNode task = hub.http.get("/api/tasks/" + held).json();
    assertEquals("pending", task.get("status").asText(), "held, not failed");
    assertEquals(0, task.get("attempts").asInt());
    JsonNode status = hub.http.get("/api/hive/status").json();
    assertEquals("spender-tokens", status.at("/budget_holds/0/budget").asText(), status.toString());
    String metrics = hub.http.get("/metrics").body();
    assertTrue(
        metrics.contains("hive_budget_exhausted{budget=\"spender-tokens\""),
        "the gauge is scraped");

    var raised =
        hub.http.method("PUT", "/api/budgets/spender-tokens", put.replace("LIMIT", "2000"));
    assertEquals(200, raised.status(), raised.body());
    completedAndCounted(held, 1200.0);

    String audit = hub.http.get("/api/audit/events?entity_kind=budgets").body();
    assertEquals(3, audit.split("BudgetSet", -1).length - 1, "both budgets and the raise");
    assertEquals(4, audit.split("SpendRecorded", -1).length - 1, "every paid attempt, once");
  }

  @Test
  void aBadBudgetIsA400NamingTheField() throws Exception {
    var r =
        hub.http.method(
            "PUT", "/api/budgets/bad", "{\"scope\":\"galaxy\",\"target\":\"x\",\"limit\":-1}");
    assertEquals(400, r.status(), r.body());
    assertTrue(r.body().contains("\"scope\"") && r.body().contains("\"limit\""), r.body());
    assertEquals(404, hub.http.method("DELETE", "/api/budgets/none").status());
  }
}
