package io.agenthive.hive;

import static io.agenthive.hive.HiveTestKit.*;
import static io.agenthive.testing.Eventually.eventually;
import static io.agenthive.testing.Eventually.staysFor;
import static org.junit.jupiter.api.Assertions.*;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import io.agenthive.access.Principal;
import io.agenthive.agent.AgentLifecycle.Transition;
import io.agenthive.agent.AgentState;
import io.agenthive.agent.AgentView;
import io.agenthive.common.HiveException;
import io.agenthive.skill.SkillResult;
import io.agenthive.skill.TestSkills;
import io.agenthive.task.Priority;
import io.agenthive.task.Task;
import io.agenthive.task.TaskSpec;
import io.agenthive.task.TaskStatus;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pause, resume, retire (with and without drain) and retry of a failed task. */
class AgentLifecycleTest {
  static final ActorTestKit kit = ActorTestKit.create();
  static Hive hive;

  @BeforeAll
  static void startHive() {
    hive = HiveTestKit.start(kit);
  }

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  static AgentView state(AgentView agent) {
    return await(hive.agents().get(agent.id())).orElseThrow();
  }

  @Test
  void aPausedAgentTakesNoWorkUntilResumed() throws Exception {
    AgentView agent = agent(hive, "life-pause", "noop", cap("life.pause", 0.5));
    assertEquals(
        AgentState.PAUSED,
        await(hive.agents().changeState(agent.id(), Transition.PAUSE, true, Principal.HUB))
            .state());
    Task t = submit(hive, task("wait for resume", Priority.HIGH, needs("life.pause", 0.1)));
    staysFor(
        java.time.Duration.ofMillis(300),
        () -> task(hive, t.id()).status() == TaskStatus.PENDING,
        "the task to wait");

    assertEquals(
        AgentState.IDLE,
        await(hive.agents().changeState(agent.id(), Transition.RESUME, true, Principal.HUB))
            .state());
    assertEquals(agent.id(), awaitStatus(hive, t.id(), TaskStatus.COMPLETED).assignedAgent());
  }

  @Test
  void retiringWithDrainLetsTheRunningTaskFinishThenTakesNoMore() {
    AgentView agent = agent(hive, "life-drain", "gate", cap("life.drain", 0.5));
    Task running = submit(hive, task("drain-me", Priority.HIGH, needs("life.drain", 0.1)));
    awaitStatus(hive, running.id(), TaskStatus.RUNNING);
    await(hive.agents().changeState(agent.id(), Transition.RETIRE, true, Principal.HUB));

    Task next = submit(hive, task("after retire", Priority.HIGH, needs("life.drain", 0.1)));
    TestSkills.Gate.gate("drain-me").complete(SkillResult.succeeded(null, 1.0));
    assertEquals(agent.id(), awaitStatus(hive, running.id(), TaskStatus.COMPLETED).assignedAgent());
    assertEquals(
        AgentState.RETIRED,
        eventually(
            () -> state(agent).state() == AgentState.RETIRED ? AgentState.RETIRED : null,
            "retired"));
    assertEquals(TaskStatus.PENDING, task(hive, next.id()).status());
    HiveException e =
        (HiveException)
            failureOf(
                hive.agents().changeState(agent.id(), Transition.RESUME, true, Principal.HUB));
    assertEquals(HiveException.Kind.CONFLICT, e.kind());
  }

  @Test
  void retiringWithoutDrainHandsTheRunningTaskToAnotherAgent() {
    AgentView leaving = agent(hive, "life-leave", "never-completes", cap("life.leave", 0.9));
    Task t = submit(hive, task("keep going", Priority.HIGH, needs("life.leave", 0.1)));
    awaitStatus(hive, t.id(), TaskStatus.RUNNING);
    await(hive.agents().changeState(leaving.id(), Transition.RETIRE, false, Principal.HUB));
    AgentView other = agent(hive, "life-stay", "noop", cap("life.leave", 0.2));
    Task done = awaitStatus(hive, t.id(), TaskStatus.COMPLETED);
    assertEquals(other.id(), done.assignedAgent());
    assertEquals(2, done.attempts(), "the abandoned attempt counts");
  }

  @Test
  void aFailedTaskCanBeRetriedOnceMoreAndOnlyAFailedOne() {
    agent(hive, "life-fails", "always-fails", cap("life.retry", 0.5));
    TaskSpec spec =
        new TaskSpec(
            "retry me",
            "",
            "general",
            Priority.HIGH,
            List.of(needs("life.retry", 0.1)),
            null,
            null,
            1,
            null,
            null);
    Task t = submit(hive, spec);
    awaitStatus(hive, t.id(), TaskStatus.FAILED);
    Task retried = await(hive.tasks().retry(t.id(), Principal.HUB));
    assertEquals(TaskStatus.PENDING, retried.status());
    assertEquals(2, retried.spec().maxAttempts());
    Task failedAgain =
        eventually(
            () -> {
              Task now = task(hive, t.id());
              return now.status() == TaskStatus.FAILED && now.attempts() == 2 ? now : null;
            },
            "the second attempt to fail too");
    assertEquals(2, failedAgain.attempts());

    Task pending = submit(hive, task("not failed", Priority.LOW, needs("life.nobody", 0.1)));
    HiveException e = (HiveException) failureOf(hive.tasks().retry(pending.id(), Principal.HUB));
    assertEquals(HiveException.Kind.CONFLICT, e.kind());
    assertEquals(
        HiveException.Kind.NOT_FOUND,
        ((HiveException) failureOf(hive.tasks().retry("no-such-task", Principal.HUB))).kind());
  }
}
