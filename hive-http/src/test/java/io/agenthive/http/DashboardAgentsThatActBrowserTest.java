package io.agenthive.http;

import static io.agenthive.http.BrowserSession.testId;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agenthive.skill.McpToolServer;
import io.agenthive.skill.ProviderStandIn;
import io.agenthive.skill.ProviderStandIn.Reply;
import io.agenthive.skill.ScriptedToolModel;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

/**
 * The task view of an llm agent at work, in a real browser: its answer appears piece by piece while
 * the attempt runs (read from {@code /api/tasks/{id}/stream}), and a tool loop's calls are listed
 * with their outcomes once it completes.
 */
class DashboardAgentsThatActBrowserTest extends DashboardBrowserBase {
  static final String ANSWER =
      "The hive routes each task to the agent that fits it best, journals every decision, and"
          + " streams what the agent writes while it writes it.";
  static ProviderStandIn writer;
  static ProviderStandIn model;
  static McpToolServer tools;

  @AfterAll
  static void stopStandIns() throws Exception {
    if (writer != null) {
      writer.close();
    }
    if (model != null) {
      model.close();
    }
    if (tools != null) {
      tools.close();
    }
  }

  static void llmAgent(
      String name, String capability, ProviderStandIn at, String modelName, boolean withTools)
      throws Exception {
    ObjectNode agent =
        ScriptedToolModel.JSON.createObjectNode().put("name", name).put("type", "worker");
    agent.putArray("capabilities").addObject().put("name", capability).put("proficiency", 0.9);
    ObjectNode config =
        agent
            .putObject("skill")
            .put("name", "llm")
            .putObject("config")
            .put("base_url", at.url("/v1"))
            .put("model", modelName)
            .put("timeout_ms", 30_000);
    if (withTools) {
      ObjectNode t = config.putObject("tools").put("role", "operator");
      t.putArray("hive").add("submit_task");
      t.putArray("mcp")
          .addObject()
          .put("name", "files")
          .put("url", tools.url())
          .putArray("allow")
          .add("lookup");
    }
    var r = hub.http.post("/api/agents", agent.toString());
    assertEquals(201, r.status(), r.body());
  }

  static String submit(String capability) throws Exception {
    var r =
        hub.http.post(
            "/api/tasks",
            "{\"title\":\"explain the hive\",\"input\":\"go\",\"max_attempts\":1,"
                + "\"timeout_ms\":60000,\"required_capabilities\":[{\"name\":\""
                + capability
                + "\"}]}");
    assertEquals(201, r.status(), r.body());
    return r.json().get("id").asText();
  }

  @Test
  @Order(1)
  void aRunningAnswerAppearsPieceByPiece() throws Exception {
    writer = new ProviderStandIn(hub.kit.system(), Reply.ok(ScriptedToolModel.text(ANSWER)));
    writer.streamEvery(Duration.ofMillis(250));
    llmAgent("writer", "dash.write", writer, "writer", false);
    signedIn();
    String id = submit("dash.write");
    go("#/tasks/" + id);
    // several pieces shown while the attempt still runs, then the whole answer as its output
    String partial =
        browser.until(
            "a part of the answer while the task runs",
            d -> {
              List<WebElement> live = d.findElements(testId("live-answer"));
              String status = d.findElement(testId("task-status")).getText();
              if (live.isEmpty() || !status.equals("running")) {
                return null;
              }
              String text = live.get(0).getText();
              return text.split(" ").length >= 4 ? text : null;
            });
    assertTrue(ANSWER.startsWith(partial.strip()), partial);
    assertTrue(partial.length() < ANSWER.length(), "not yet the whole answer: " + partial);
    browser.screenshot("live-answer");
    browser.until(
        "the completed answer",
        d ->
            d.findElement(testId("task-status")).getText().equals("completed")
                && d.findElement(testId("task-output")).getText().contains("streams what the agent")
                && d.findElements(testId("live-answer")).isEmpty());
  }

  @Test
  @Order(3)
  void aTasksSubtasksShowAsATree() throws Exception {
    String nobody = "{\"required_capabilities\":[{\"name\":\"dash.nobody\"}],\"title\":\"";
    String root =
        hub.http.post("/api/tasks", nobody + "plan the launch\"}").json().get("id").asText();
    String research =
        hub.http
            .post("/api/tasks", nobody + "research the market\",\"parent_id\":\"" + root + "\"}")
            .json()
            .get("id")
            .asText();
    hub.http.post("/api/tasks", nobody + "draft the post\",\"parent_id\":\"" + root + "\"}");
    hub.http.post(
        "/api/tasks", nobody + "survey five customers\",\"parent_id\":\"" + research + "\"}");
    // the lists answer from the read tables: open the page once they hold the whole tree
    hub.http.getUntil(
        "/api/tasks/" + research + "/children",
        r -> r.json().path("total").asInt() == 1,
        "the tree in the read tables");
    signedIn();
    go("#/tasks/" + root);
    browser.until(
        "the subtasks, two levels",
        d ->
            d.findElements(testId("subtask")).size() == 3
                    && "live"
                        .equals(d.findElement(testId("live-status")).getAttribute("data-state"))
                ? Boolean.TRUE
                : null);
    browser.js(
        "document.querySelector(\"[data-testid='card-subtasks']\").scrollIntoView({block: 'center'})");
    browser.screenshot("subtask-tree");
    go("#/tasks/" + research);
    browser.until(
        "the parent named on the subtask",
        d -> d.findElements(testId("task-parent")).size() == 1 ? Boolean.TRUE : null);
  }

  @Test
  @Order(2)
  void aToolLoopsCallsAreListedWithTheirOutcomes() throws Exception {
    tools = new McpToolServer();
    model = new ProviderStandIn(hub.kit.system(), Reply.status(500, "{}"));
    model.answerWith(ScriptedToolModel::answer);
    llmAgent("actor", "dash.act", model, "scripted", true);
    signedIn();
    String id = submit("dash.act");
    go("#/tasks/" + id);
    List<String> outcomes =
        browser.until(
            "the tool calls",
            d -> {
              List<String> o =
                  d.findElements(testId("tool-call")).stream()
                      .map(e -> e.getAttribute("data-outcome"))
                      .toList();
              return o.size() == 3 ? o : null;
            });
    assertEquals(List.of("ok", "ok", "refused"), outcomes);
    browser.js(
        "document.querySelector(\"[data-testid='tool-calls']\").scrollIntoView({block: 'center'})");
    browser.screenshot("tool-calls");
  }
}
