package io.agenthive.task;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A task's state keeps the agents its failed attempts ran on, and queues its retry with them and
 * with its next escalation rung: what the matcher learns from the journal, not from memory.
 */
class FailedOnTest {
  static final Instant AT = Instant.parse("2026-12-04T10:00:00Z");

  static TaskSpec spec() {
    return new TaskSpec("t", "", "general", Priority.LOW, List.of(), null, null, 5, 1000L, null)
        .withEscalation(
            List.of(new EscalationRung("cheap", 0.5), new EscalationRung("strong", 0.7)));
  }

  static Task failOn(Task t, String agentId, int attempt) {
    Task running = t.apply(new TaskEvent.TaskStarted(agentId, attempt, AT, null));
    return running.apply(new TaskEvent.TaskFailed(attempt, "no", 1, true, null, AT, null));
  }

  @Test
  void failedAttemptsAreKeptOnceEachOldestFirstAndTheRetryQueuesWithThemOnItsNextRung() {
    Task submitted = Task.empty("t").apply(new TaskEvent.TaskSubmitted("t", spec(), AT, "me"));
    assertEquals(List.of(), submitted.failedOn());
    Task once = failOn(submitted, "a1", 1);
    Task twice = failOn(once, "a2", 2);
    Task thrice = failOn(twice, "a1", 3);
    assertEquals(List.of("a1", "a2"), thrice.failedOn());

    Task running = once.apply(new TaskEvent.TaskStarted("a2", 2, AT, null));
    TaskQueue.TaskChange retry = TaskChanges.between(running, twice, List.of(), AT);
    assertEquals(List.of("a1", "a2"), retry.queued().failedOn());
    assertEquals(List.of(new RequiredCapability("strong", 0.7)), retry.queued().requirements());
    assertEquals(List.of(new RequiredCapability("strong", 0.7)), thrice.requirementsNow());
  }

  @Test
  void aCompletedAttemptAddsNoAgent() {
    Task submitted = Task.empty("t").apply(new TaskEvent.TaskSubmitted("t", spec(), AT, "me"));
    Task done =
        submitted
            .apply(new TaskEvent.TaskStarted("a1", 1, AT, null))
            .apply(
                new TaskEvent.TaskCompleted(
                    1, new TaskResult(true, null, null, 1, null), AT, null));
    assertEquals(List.of(), done.failedOn());
  }

  /** An operator's retry of a task that failed for good must not go straight back to its agent. */
  @Test
  void aFinalFailureOrTimeoutStillNamesItsAgent() {
    Task submitted = Task.empty("t").apply(new TaskEvent.TaskSubmitted("t", spec(), AT, "me"));
    Task failed =
        submitted
            .apply(new TaskEvent.TaskStarted("a1", 1, AT, null))
            .apply(new TaskEvent.TaskFailed(1, "no", 1, false, null, AT, null));
    assertEquals(TaskStatus.FAILED, failed.status());
    assertEquals(List.of("a1"), failed.failedOn());

    Task timedOut =
        submitted
            .apply(new TaskEvent.TaskStarted("a2", 1, AT, null))
            .apply(new TaskEvent.TaskTimedOut(1, 1000L, false, null, AT, null));
    assertEquals(List.of("a2"), timedOut.failedOn());
  }
}
