package io.agenthive.launcher;

import static org.junit.jupiter.api.Assertions.*;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agenthive.skill.McpToolServer;
import io.agenthive.skill.ProviderStandIn;
import io.agenthive.skill.ProviderStandIn.Reply;
import io.agenthive.skill.ScriptedToolModel;
import io.agenthive.testing.Eventually;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code kill -9} in the middle of an agent's tool loop: the real launcher is killed with SIGKILL
 * while its agent's MCP tool call is held open by the server. Two agents qualify, so the run
 * started again may land on the other one. After a start on the same database the attempt runs
 * again and the task completes once; the MCP tool saw the same attempt id both times (its
 * idempotency key), and the hive's own {@code submit_task}, asked again at the same place, made one
 * child task, not two.
 */
class ToolLoopKillNineTest {
  @TempDir Path dir;

  static void register(HubProcess hub, String name, ProviderStandIn model, McpToolServer tools)
      throws Exception {
    ObjectNode agent = HubProcess.JSON.createObjectNode().put("name", name).put("type", "worker");
    agent.putArray("capabilities").addObject().put("name", "kill.act").put("proficiency", 0.9);
    ObjectNode config =
        agent
            .putObject("skill")
            .put("name", "llm")
            .putObject("config")
            .put("base_url", model.url("/v1"))
            .put("model", "scripted")
            .put("timeout_ms", 10_000);
    ObjectNode t = config.putObject("tools").put("role", "operator");
    t.putArray("hive").add("submit_task");
    t.putArray("mcp")
        .addObject()
        .put("name", "files")
        .put("url", tools.url())
        .putArray("allow")
        .add("lookup");
    HubProcess.Reply registered = hub.call("POST", "/api/agents", agent.toString());
    assertEquals(201, registered.status(), registered.body());
  }

  @Test
  void aTaskKilledMidToolLoopCompletesAfterARestartWithTheSameAttemptId() throws Exception {
    ActorTestKit kit = ActorTestKit.create("tool-loop-kill-nine");
    try (McpToolServer tools = new McpToolServer();
        ProviderStandIn model = new ProviderStandIn(kit.system(), Reply.status(500, "{}"));
        HubProcess hub = new HubProcess(dir, "512m", Map.of())) {
      tools.holdFirstCall();
      model.answerWith(ScriptedToolModel::answer);
      hub.start();
      hub.awaitReady();
      // two agents that qualify: the run started again after the kill may land on either
      register(hub, "actor-a", model, tools);
      register(hub, "actor-b", model, tools);
      HubProcess.Reply submitted =
          hub.call(
              "POST",
              "/api/tasks",
              "{\"title\":\"use your tools\",\"input\":\"go\",\"max_attempts\":3,"
                  + "\"timeout_ms\":60000,\"required_capabilities\":[{\"name\":\"kill.act\"}]}");
      assertEquals(201, submitted.status(), submitted.body());
      String id = submitted.json().get("id").asText();

      // the loop is inside its MCP call (held), after its submit_task: kill it there
      Eventually.eventually(
          () -> tools.calls().isEmpty() ? null : Boolean.TRUE,
          "the first MCP tool call",
          Duration.ofSeconds(60));
      hub.close(); // SIGKILL
      hub.start();
      hub.awaitReady();

      JsonNode done =
          Eventually.eventually(
              () -> {
                JsonNode task = hub.get("/api/tasks/" + id);
                return List.of("completed", "failed").contains(task.get("status").asText())
                    ? task
                    : null;
              },
              "the task to end after the restart",
              Duration.ofSeconds(90));
      assertEquals("completed", done.get("status").asText(), done.toString());
      List<McpToolServer.Call> lookups =
          tools.calls().stream().filter(c -> c.tool().equals("lookup")).toList();
      assertTrue(lookups.size() >= 2, "the tool was called again after the restart: " + lookups);
      for (McpToolServer.Call c : lookups) {
        assertEquals(
            id + ":1", c.attemptId(), "the same run before and after the kill: " + lookups);
      }
      assertEquals(1, HumanStepsKillNineTest.events(hub, id, "TaskCompleted"));
      JsonNode submit = done.at("/result/output/tool_calls/0");
      assertEquals("submit_task", submit.path("name").asText(), done.toString());
      assertEquals("ok", submit.path("outcome").asText(), "the run after the kill submitted too");
      // the journal itself, not a read table that may lag: one child task was submitted
      HubProcess.Reply submissions = hub.call("GET", "/api/audit/events?type=TaskSubmitted", null);
      assertEquals(200, submissions.status(), submissions.body());
      long children =
          submissions.body().lines().filter(l -> l.contains("child of the loop")).count();
      assertEquals(1, children, submissions.body());
    } finally {
      kit.shutdownTestKit();
    }
  }
}
