package io.agenthive.launcher;

import static org.junit.jupiter.api.Assertions.*;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agenthive.skill.ProviderStandIn;
import io.agenthive.skill.ProviderStandIn.Reply;
import io.agenthive.skill.ScriptedToolModel;
import io.agenthive.testing.Eventually;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of a parent that hands its work to a subtask and gives its slot back: the real
 * launcher is killed with SIGKILL after the parent's {@code submit_task} and before its {@code
 * await_subtasks} (the model's answer asking for it is held back). After a start on the same
 * database the attempt runs again, meets the subtask it made before (one subtask in the journal),
 * waits for it blocked, and, once an agent that can run the subtask is registered and runs it, is
 * released once and completes.
 */
class AwaitSubtasksKillNineTest {
  @TempDir Path dir;

  /** Hands its work to a subtask no agent can run yet; told it ended, answers. */
  static Reply parent(String body, AtomicBoolean held) {
    try {
      JsonNode request = ScriptedToolModel.JSON.readTree(body);
      ArrayNode messages = (ArrayNode) request.path("messages");
      JsonNode last = messages.get(messages.size() - 1);
      String content = last.path("content").asText();
      if (last.path("role").asText().equals("user")) {
        return Reply.ok(
            content.contains("have ended:")
                ? ScriptedToolModel.text("root done")
                : ScriptedToolModel.toolCalls(
                    ScriptedToolModel.call(
                        "s1",
                        "submit_task",
                        "{\"title\":\"late work\",\"input\":\"x\",\"max_attempts\":1,"
                            + "\"required_capabilities\":[{\"name\":\"kill.late\"}]}")));
      }
      String child = ScriptedToolModel.JSON.readTree(content).path("id").asText();
      Reply await =
          Reply.ok(
              ScriptedToolModel.toolCalls(
                  ScriptedToolModel.call(
                      "a1", "await_subtasks", "{\"task_ids\":[\"" + child + "\"]}")));
      // the first time, held back past the kill: the attempt never gets to settle
      return held.compareAndSet(false, true)
          ? new Reply(await.status(), await.body(), await.headers(), Duration.ofSeconds(120))
          : await;
    } catch (Exception e) {
      return Reply.status(500, "{\"error\":\"" + e + "\"}");
    }
  }

  static void register(HubProcess hub, ProviderStandIn model) throws Exception {
    ObjectNode agent =
        HubProcess.JSON
            .createObjectNode()
            .put("name", "solo")
            .put("type", "worker")
            .put("max_concurrency", 1);
    agent.putArray("capabilities").addObject().put("name", "kill.solo").put("proficiency", 0.9);
    ObjectNode config =
        agent
            .putObject("skill")
            .put("name", "llm")
            .putObject("config")
            .put("base_url", model.url("/v1"))
            .put("model", "solo")
            .put("timeout_ms", 10_000);
    config
        .putObject("tools")
        .put("role", "operator")
        .putArray("hive")
        .add("submit_task")
        .add("await_subtasks");
    HubProcess.Reply registered = hub.call("POST", "/api/agents", agent.toString());
    assertEquals(201, registered.status(), registered.body());
  }

  /** The hub log's last lines: the temporary directory that holds it is gone after the test. */
  static String tail(HubProcess hub) {
    List<String> lines = hub.logText().lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
  }

  @Test
  void aParentKilledBeforeItsAwaitWaitsAgainAfterARestartAndIsReleasedOnce() throws Exception {
    ActorTestKit kit = ActorTestKit.create("await-kill-nine");
    AtomicBoolean held = new AtomicBoolean();
    try (ProviderStandIn model = new ProviderStandIn(kit.system(), Reply.status(500, "{}"));
        HubProcess hub = new HubProcess(dir, "512m", Map.of())) {
      model.answerWith(body -> parent(body, held));
      hub.start();
      hub.awaitReady();
      register(hub, model);
      HubProcess.Reply submitted =
          hub.call(
              "POST",
              "/api/tasks",
              "{\"title\":\"hand it down\",\"input\":\"go\",\"max_attempts\":2,"
                  + "\"timeout_ms\":60000,\"required_capabilities\":[{\"name\":\"kill.solo\"}]}");
      assertEquals(201, submitted.status(), submitted.body());
      String id = submitted.json().get("id").asText();

      Eventually.eventually(
          () -> held.get() ? Boolean.TRUE : null,
          "the parent's model asked after its submit_task",
          Duration.ofSeconds(60));
      hub.close(); // SIGKILL, the await not yet asked for
      hub.start();
      hub.awaitReady();

      // stops on any status the task does not leave by itself, so a failure shows where it went
      JsonNode blocked =
          Eventually.until(
              () -> hub.get("/api/tasks/" + id),
              task ->
                  List.of("blocked", "completed", "failed").contains(task.path("status").asText()),
              "the parent's attempt run again and waiting for its subtask",
              Duration.ofSeconds(90));
      assertEquals("blocked", blocked.path("status").asText(), blocked + "\n" + tail(hub));
      assertEquals("subtasks", blocked.path("waiting_reason").asText(), blocked.toString());
      String child = blocked.at("/awaiting/0").asText();
      // the subtask runs once an agent can run it; its end releases the parent
      HubProcess.Reply late =
          hub.call(
              "POST",
              "/api/agents",
              "{\"name\":\"late\",\"type\":\"worker\",\"capabilities\":[{\"name\":\"kill.late\","
                  + "\"proficiency\":0.9}],\"skill\":{\"name\":\"noop\"}}");
      assertEquals(201, late.status(), late.body());
      JsonNode done =
          Eventually.eventually(
              () -> {
                JsonNode task = hub.get("/api/tasks/" + id);
                return List.of("completed", "failed").contains(task.get("status").asText())
                    ? task
                    : null;
              },
              "the parent to end once its subtask did",
              Duration.ofSeconds(60));
      assertEquals("completed", done.get("status").asText(), done.toString());
      assertEquals("root done", done.at("/result/output/answer").asText(), done.toString());
      assertEquals("completed", hub.get("/api/tasks/" + child).path("status").asText());
      assertEquals(1, HumanStepsKillNineTest.events(hub, id, "TaskAwaitingSubtasks"));
      assertEquals(1, HumanStepsKillNineTest.events(hub, id, "TaskUnblocked"), "released once");
      assertEquals(1, HumanStepsKillNineTest.events(hub, id, "TaskCompleted"));
      // the journal itself: the run after the kill met the subtask made before it
      HubProcess.Reply submissions = hub.call("GET", "/api/audit/events?type=TaskSubmitted", null);
      assertEquals(200, submissions.status(), submissions.body());
      assertEquals(
          1,
          submissions.body().lines().filter(l -> l.contains("late work")).count(),
          submissions.body());
    } finally {
      kit.shutdownTestKit();
    }
  }
}
