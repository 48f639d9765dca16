package io.agenthive.hive;

import static io.agenthive.hive.HiveTestKit.*;
import static io.agenthive.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agenthive.access.Principal;
import io.agenthive.agent.AgentState;
import io.agenthive.agent.AgentView;
import io.agenthive.common.HiveException;
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
 * Failures, timeouts, cancels and crashes through the real hive. Each test gives its agents a
 * capability of its own so tests do not take each other's tasks.
 */
class TaskFailureTest {
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

  private static TaskSpec spec(
      String title, String capability, ObjectNode input, Integer maxAttempts, Long timeoutMs) {
    return new TaskSpec(
        title,
        "",
        "general",
        Priority.MEDIUM,
        List.of(needs(capability, 0.1)),
        input,
        null,
        maxAttempts,
        timeoutMs,
        null);
  }

  @Test
  void failedAttemptsAreRetriedWithGrowingBackoffThenTheTaskFails() {
    AgentView agent = agent(hive, "fail-always", "always-fails", cap("fail.retry", 0.5));
    Task t = submit(hive, spec("retry me", "fail.retry", null, 3, null));
    Task failed = awaitStatus(hive, t.id(), TaskStatus.FAILED);

    assertEquals(3, failed.attempts());
    assertEquals("nope", failed.result().error());
    assertFalse(failed.result().success());
    // backoff in test config: 100 ms before attempt 2, 200 ms before attempt 3
    assertTrue(
        Duration.between(failed.createdAt(), failed.completedAt()).toMillis() >= 300,
        "two backoff delays must have passed");
    AgentView after =
        eventually(
            () -> {
              AgentView v = await(hive.agents().get(agent.id())).orElseThrow();
              return v.tasksFailed() == 3 ? v : null;
            },
            "three failures on the agent");
    assertEquals(0.5 - 3 * 0.005, after.capabilities().get(0).proficiency(), 1e-9);
  }

  @Test
  void anAttemptThatOutlivesItsTimeoutFailsTheTask() {
    agent(hive, "fail-slow", "never-completes", cap("fail.timeout", 0.5));
    Task t = submit(hive, spec("too slow", "fail.timeout", null, 1, 200L));
    Task failed = awaitStatus(hive, t.id(), TaskStatus.FAILED);
    assertEquals("timed out after 200 ms", failed.result().error());
    assertEquals(1, failed.attempts());
  }

  @Test
  void cancelWorksForPendingAndRunningTasksAndFreesTheAgent() {
    Task waiting = submit(hive, spec("nobody can", "fail.cancel-none", null, null, null));
    Task cancelled = await(hive.tasks().cancel(waiting.id(), Principal.HUB));
    assertEquals(TaskStatus.CANCELLED, cancelled.status());

    AgentView agent = agent(hive, "fail-cancel", "never-completes", cap("fail.cancel", 0.5));
    Task running = submit(hive, spec("stop me", "fail.cancel", null, null, null));
    awaitStatus(hive, running.id(), TaskStatus.RUNNING);
    assertEquals(
        TaskStatus.CANCELLED, await(hive.tasks().cancel(running.id(), Principal.HUB)).status());
    eventually(
        () ->
            await(hive.agents().get(agent.id())).orElseThrow().state() == AgentState.IDLE
                ? true
                : null,
        "the agent to be idle again");

    Throwable again = failureOf(hive.tasks().cancel(running.id(), Principal.HUB));
    assertEquals(HiveException.Kind.CONFLICT, ((HiveException) again).kind());
    assertEquals(TaskStatus.CANCELLED, task(hive, running.id()).status(), "stays cancelled");
  }

  @Test
  void aSkillThatThrowsFailsTheAttemptButNotTheAgent() {
    AgentView agent = agent(hive, "fail-throws", "throws-on-demand", cap("fail.throw", 0.5));
    ObjectNode explode = JsonNodeFactory.instance.objectNode().put("explode", true);
    Task bad = submit(hive, spec("explode", "fail.throw", explode, 1, null));
    Task failed = awaitStatus(hive, bad.id(), TaskStatus.FAILED);
    assertTrue(failed.result().error().contains("boom from the skill"), failed.result().error());

    Task good = submit(hive, spec("calm", "fail.throw", null, 1, null));
    assertEquals(agent.id(), awaitStatus(hive, good.id(), TaskStatus.COMPLETED).assignedAgent());
    assertEquals(AgentState.IDLE, await(hive.agents().get(agent.id())).orElseThrow().state());
  }

  @Test
  void anAgentThatKeepsCrashingEndsFailedAndItsTaskIsNotLost() {
    AgentView broken = agent(hive, "fail-crashloop", "broken-plugin", cap("fail.crash", 0.9));
    Task t = submit(hive, spec("crashes its agent", "fail.crash", null, 10, null));

    eventually(
        () ->
            await(hive.agents().get(broken.id())).orElseThrow().state() == AgentState.FAILED
                ? true
                : null,
        "the crash-looping agent to be marked failed");
    Task waiting =
        eventually(
            () -> {
              Task now = task(hive, t.id());
              return now.status() == TaskStatus.PENDING ? now : null;
            },
            "the task to be back in the queue");
    assertTrue(waiting.attempts() >= 1, "lost attempts are counted");

    AgentView healthy = agent(hive, "fail-healthy", "noop", cap("fail.crash", 0.2));
    assertEquals(healthy.id(), awaitStatus(hive, t.id(), TaskStatus.COMPLETED).assignedAgent());
  }

  @Test
  void resubmittingWithTheSameIdempotencyKeyReturnsTheSameTask() {
    TaskSpec spec =
        new TaskSpec(
            "once only",
            "",
            "general",
            Priority.LOW,
            List.of(),
            null,
            null,
            null,
            null,
            "order-42");
    Task first = submit(hive, spec);
    Task again = submit(hive, spec);
    assertEquals(first.id(), again.id());
    assertEquals(first.createdAt(), again.createdAt());
  }

  @Test
  void invalidSpecsAreRefusedNamingEveryBadField() {
    TaskSpec bad =
        new TaskSpec(" ", "", "Bad Type", null, List.of(needs("x", 1.5)), null, null, 0, -1L, null);
    HiveException e = (HiveException) failureOf(hive.tasks().submitTask(bad));
    assertEquals(HiveException.Kind.INVALID, e.kind());
    assertEquals(
        List.of(
            "title",
            "type",
            "priority",
            "required_capabilities[0].minimum_proficiency",
            "max_attempts",
            "timeout_ms"),
        e.fieldErrors().stream().map(f -> f.field()).toList());
  }

  @Test
  void textAnalysisAnalysesTheInputAndATaskWithoutTextFailsWithoutRetry() {
    agent(hive, "analyst", "text-analysis", cap("text.analyse", 0.8));
    Task done =
        awaitStatus(
            hive,
            submit(
                    hive,
                    spec(
                        "review",
                        "text.analyse",
                        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                            .objectNode()
                            .put("text", "The new release is great. Nothing crashed."),
                        3,
                        null))
                .id(),
            TaskStatus.COMPLETED);
    assertEquals(2, done.result().output().get("sentences").asInt());
    assertEquals("positive", done.result().output().at("/sentiment/label").asText());
    Task failed =
        awaitStatus(
            hive,
            submit(hive, spec("empty", "text.analyse", null, 3, null)).id(),
            TaskStatus.FAILED);
    assertEquals(1, failed.attempts(), "no text: retrying cannot help");
  }
}
