package io.agenthive.hive;

import static io.agenthive.hive.HiveTestKit.*;
import static io.agenthive.testing.Eventually.eventually;
import static io.agenthive.testing.Eventually.staysFor;
import static org.junit.jupiter.api.Assertions.*;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import io.agenthive.access.Principal;
import io.agenthive.agent.AgentState;
import io.agenthive.agent.AgentView;
import io.agenthive.skill.SkillResult;
import io.agenthive.skill.TestSkills;
import io.agenthive.task.Priority;
import io.agenthive.task.Task;
import io.agenthive.task.TaskStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Assignment through the real board, entities and agents (in-memory journal). */
class TaskRoutingTest {
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

  @Test
  void assignsTheMostProficientQualifiedIdleAgentAndJournalsWhy() {
    AgentView weak = agent(hive, "routing-weak", "noop", cap("routing.a", 0.6));
    AgentView strong = agent(hive, "routing-strong", "noop", cap("routing.a", 0.9));
    agent(hive, "routing-unqualified", "noop", cap("routing.a", 0.3));

    Task t = submit(hive, task("pick the best", Priority.HIGH, needs("routing.a", 0.5)));
    Task done = awaitStatus(hive, t.id(), TaskStatus.COMPLETED);

    assertEquals(strong.id(), done.assignedAgent());
    assertEquals(strong.id(), done.assignmentReason().winner());
    assertEquals(2, done.assignmentReason().qualified(), "the 0.3 agent does not qualify");
    assertEquals(
        List.of(strong.id(), weak.id()),
        done.assignmentReason().candidates().stream().map(c -> c.agentId()).toList());
    assertEquals(0.9, done.assignmentReason().winnerScore(), 1e-9);
  }

  @Test
  void unqualifiedTaskWaitsThenGoesToTheFirstAgentThatQualifies() throws Exception {
    Task t = submit(hive, task("needs a rare skill", Priority.MEDIUM, needs("routing.rare", 0.7)));
    agent(hive, "routing-almost", "noop", cap("routing.rare", 0.69));
    staysFor(
        java.time.Duration.ofMillis(300),
        () -> task(hive, t.id()).status() == TaskStatus.PENDING,
        "the task to wait");

    AgentView expert = agent(hive, "routing-expert", "noop", cap("routing.rare", 0.95));
    Task done = awaitStatus(hive, t.id(), TaskStatus.COMPLETED);
    assertEquals(expert.id(), done.assignedAgent());
  }

  @Test
  void taskWithoutRequirementsGoesToAnyIdleAgentWithScoreOneHalf() {
    Task t = submit(hive, task("anything goes", Priority.LOW));
    Task done = awaitStatus(hive, t.id(), TaskStatus.COMPLETED);
    assertNotNull(done.assignedAgent());
    assertEquals(0.5, done.assignmentReason().winnerScore(), 1e-9);
  }

  @Test
  void oneAgentServesWaitingTasksInStrictPriorityOrderFifoWithin() {
    List<Task> submitted = new ArrayList<>();
    Priority[] order = {
      Priority.LOW,
      Priority.MEDIUM,
      Priority.CRITICAL,
      Priority.HIGH,
      Priority.LOW,
      Priority.CRITICAL,
      Priority.MEDIUM,
      Priority.HIGH
    };
    for (int i = 0; i < order.length; i++) {
      submitted.add(submit(hive, task("order-" + i, order[i], needs("routing.solo", 0.1))));
    }
    agent(hive, "routing-solo", "noop", cap("routing.solo", 0.5));

    List<Task> done = new ArrayList<>();
    for (Task t : submitted) {
      done.add(awaitStatus(hive, t.id(), TaskStatus.COMPLETED));
    }
    List<String> served =
        done.stream()
            .sorted(Comparator.comparing(Task::startedAt))
            .map(t -> t.spec().title())
            .toList();
    assertEquals(
        List.of(
            "order-2", "order-5", "order-3", "order-7", "order-1", "order-6", "order-0", "order-4"),
        served);
  }

  @Test
  void anAgentNeverGetsASecondTaskWhileWorking() {
    AgentView gated = agent(hive, "routing-gated", "gate", cap("routing.gate", 0.5));
    Task first = submit(hive, task("gate-first", Priority.HIGH, needs("routing.gate", 0.1)));
    Task second = submit(hive, task("gate-second", Priority.HIGH, needs("routing.gate", 0.1)));

    awaitStatus(hive, first.id(), TaskStatus.RUNNING);
    assertEquals(AgentState.WORKING, await(hive.agents().get(gated.id())).orElseThrow().state());
    assertEquals(TaskStatus.PENDING, task(hive, second.id()).status());

    // the slot frees when the first run's skill returns: the second cannot start before
    java.time.Instant released = java.time.Instant.now();
    TestSkills.Gate.gate("gate-first").complete(SkillResult.succeeded(null, 1.0));
    awaitStatus(hive, first.id(), TaskStatus.COMPLETED);
    awaitStatus(hive, second.id(), TaskStatus.RUNNING);
    TestSkills.Gate.gate("gate-second").complete(SkillResult.succeeded(null, 1.0));
    Task secondDone = awaitStatus(hive, second.id(), TaskStatus.COMPLETED);
    assertFalse(secondDone.startedAt().isBefore(released), "started while the first ran");
  }

  @Test
  void anAgentRunsUpToItsConcurrencyAtOnceAndTakesTheNextWhenOneEnds() {
    AgentView wide =
        await(
            hive.agents()
                .register(
                    new io.agenthive.agent.AgentSpec(
                        "routing-wide",
                        "worker",
                        List.of(cap("routing.wide", 0.5)),
                        io.agenthive.skill.SkillRef.named("gate"),
                        2),
                    Principal.HUB));
    Task a = submit(hive, task("wide-a", Priority.HIGH, needs("routing.wide", 0.1)));
    Task b = submit(hive, task("wide-b", Priority.HIGH, needs("routing.wide", 0.1)));
    Task c = submit(hive, task("wide-c", Priority.HIGH, needs("routing.wide", 0.1)));
    awaitStatus(hive, a.id(), TaskStatus.RUNNING);
    awaitStatus(hive, b.id(), TaskStatus.RUNNING);
    AgentView busy = await(hive.agents().get(wide.id())).orElseThrow();
    assertEquals(2, busy.runningTasks());
    assertEquals(AgentState.WORKING, busy.state());
    staysFor(
        java.time.Duration.ofMillis(200),
        () -> task(hive, c.id()).status() == TaskStatus.PENDING,
        "the third task to wait");

    TestSkills.Gate.gate("wide-a").complete(SkillResult.succeeded(null, 1.0));
    assertEquals(wide.id(), awaitStatus(hive, c.id(), TaskStatus.RUNNING).assignedAgent());
    TestSkills.Gate.gate("wide-b").complete(SkillResult.succeeded(null, 1.0));
    TestSkills.Gate.gate("wide-c").complete(SkillResult.succeeded(null, 1.0));
    awaitStatus(hive, c.id(), TaskStatus.COMPLETED);
  }

  @Test
  void tasksThatEndedLeaveMemory() {
    agent(hive, "routing-many", "noop", cap("routing.many", 0.5));
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      tasks.add(submit(hive, task("many-" + i, Priority.LOW, needs("routing.many", 0.1))));
    }
    tasks.forEach(t -> awaitStatus(hive, t.id(), TaskStatus.COMPLETED));
    // reading each task above woke it again briefly; every one leaves once it answered
    java.util.Set<String> ids = new java.util.HashSet<>();
    tasks.forEach(t -> ids.add(t.id()));
    eventually(
        () -> liveTaskEntities(kit).stream().noneMatch(ids::contains) ? true : null,
        "the ended tasks to leave memory");
  }

  @Test
  void successTeachesTheAgentItsRequiredCapabilities() {
    AgentView learner =
        agent(
            hive, "routing-learner", "noop", cap("routing.learn", 0.5), cap("routing.other", 0.5));
    Task t = submit(hive, task("learn", Priority.HIGH, needs("routing.learn", 0.5)));
    awaitStatus(hive, t.id(), TaskStatus.COMPLETED);
    AgentView after =
        eventually(
            () -> {
              AgentView v = await(hive.agents().get(learner.id())).orElseThrow();
              return v.tasksCompleted() == 1 ? v : null;
            },
            "the agent to record its completion");
    assertEquals(0.51, after.capabilities().get(0).proficiency(), 1e-9);
    assertEquals(0.5, after.capabilities().get(1).proficiency(), 1e-9, "not required: unchanged");
    assertEquals(1, after.experienceCount());
  }
}
