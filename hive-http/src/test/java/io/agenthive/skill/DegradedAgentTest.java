package io.agenthive.skill;

import static io.agenthive.hive.HiveTestKit.*;
import static io.agenthive.testing.Eventually.eventually;
import static io.agenthive.testing.Eventually.staysFor;
import static org.junit.jupiter.api.Assertions.*;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.agenthive.access.Principal;
import io.agenthive.agent.AgentLifecycle;
import io.agenthive.agent.AgentSpec;
import io.agenthive.agent.AgentState;
import io.agenthive.hive.Hive;
import io.agenthive.task.AssignmentReason;
import io.agenthive.task.Priority;
import io.agenthive.task.Task;
import io.agenthive.task.TaskSpec;
import io.agenthive.task.TaskStatus;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An {@code llm} agent pointed at a closed local port next to a second qualifying agent: once its
 * circuit opens it is {@code degraded} and new tasks go to the other agent and complete; with only
 * the broken agent left, tasks wait instead of burning their attempts on the open circuit.
 */
class DegradedAgentTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static ActorTestKit kit;
  static Hive hive;

  @BeforeAll
  static void start() {
    kit =
        ActorTestKit.create(
            "degraded",
            ConfigFactory.parseString(
                    "hive.skills.endpoint-guard { max-failures = 2, reset-timeout = 60s }")
                .withFallback(ConfigFactory.load("application-test")));
    hive = io.agenthive.hive.HiveTestKit.start(kit);
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  static Task task(int maxAttempts) {
    return submit(
        hive,
        new TaskSpec(
            "write",
            "",
            "general",
            Priority.MEDIUM,
            List.of(needs("draft", 0.5)),
            null,
            null,
            maxAttempts,
            10_000L,
            null));
  }

  @Test
  void aBrokenAgentIsDegradedAndTheRouterPassesItBy() throws Exception {
    int closed;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closed = socket.getLocalPort(); // nothing listens there once the socket is closed
    }
    var config =
        JSON.createObjectNode()
            .put("base_url", "http://127.0.0.1:" + closed + "/v1")
            .put("model", "none")
            .put("timeout_ms", 2000);
    String broken =
        await(
                hive.agents()
                    .register(
                        new AgentSpec(
                            "broken",
                            "worker",
                            List.of(cap("draft", 0.95)),
                            new SkillRef("llm", config)),
                        Principal.HUB))
            .id();
    String sound = agent(hive, "sound", "noop", cap("draft", 0.6)).id();
    // the broken agent is the better fit: it gets the first tasks until its circuit opens
    for (int i = 0; i < 2; i++) {
      awaitStatus(hive, task(1).id(), TaskStatus.FAILED);
    }
    eventually(
        () ->
            await(hive.agents().get(broken)).orElseThrow().state() == AgentState.DEGRADED
                ? true
                : null,
        "the broken agent degraded");
    for (int i = 0; i < 5; i++) {
      Task done = awaitStatus(hive, task(1).id(), TaskStatus.COMPLETED);
      assertEquals(sound, done.assignedAgent(), "passed by the degraded agent");
      // and the assignment's reason says whom it passed by, and why
      assertEquals(
          List.of(new AssignmentReason.Skipped(broken, "degraded")),
          done.assignmentReason().skipped());
    }
    // with the sound agent paused, tasks wait rather than burn attempts on the open circuit
    await(hive.agents().changeState(sound, AgentLifecycle.Transition.PAUSE, true, Principal.HUB));
    Task waiting = task(3);
    eventually(
        () ->
            await(hive.tasks().whyWaiting(waiting.id())).orElse("").equals("agents_degraded")
                ? true
                : null,
        "the task waiting because its only free agent is degraded");
    staysFor(
        Duration.ofSeconds(2),
        () -> {
          Task t = await(hive.tasks().get(waiting.id())).orElseThrow();
          return t.status() == TaskStatus.PENDING && t.attempts() == 0;
        },
        "the task waiting, no attempt made");
    await(hive.agents().changeState(sound, AgentLifecycle.Transition.RESUME, true, Principal.HUB));
    assertEquals(sound, awaitStatus(hive, waiting.id(), TaskStatus.COMPLETED).assignedAgent());
  }

  @Test
  void aTaskNoAgentCanRunSaysSoAndRunsOnceOneIsAdded() {
    Task stuck =
        submit(
            hive,
            new TaskSpec(
                "train",
                "",
                "general",
                Priority.HIGH,
                List.of(needs("ml", 0.5)),
                null,
                null,
                1,
                10_000L,
                null));
    eventually(
        () ->
            await(hive.tasks().whyWaiting(stuck.id())).orElse("").equals("no_agent_qualifies")
                ? true
                : null,
        "no_agent_qualifies");
    eventually(
        () ->
            await(hive.counts()).waiting().getOrDefault("no_agent_qualifies", 0) == 1 ? true : null,
        "counted in the status");
    agent(hive, "learner", "noop", cap("ml", 0.4)); // not enough: still no agent qualifies
    assertEquals("no_agent_qualifies", await(hive.tasks().whyWaiting(stuck.id())).orElse(""));
    agent(hive, "trainer", "noop", cap("ml", 0.9));
    awaitStatus(hive, stuck.id(), TaskStatus.COMPLETED);
  }
}
