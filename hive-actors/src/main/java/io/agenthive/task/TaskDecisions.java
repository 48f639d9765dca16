package io.agenthive.task;

import io.agenthive.common.HiveSettings;
import io.agenthive.task.AssignmentReason;
import io.agenthive.task.DatasetProgress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The task entity's rules as plain functions: which events a start, a settle or a finish makes. */
final class TaskDecisions {
  private final HiveSettings settings;
  private final Clock clock;

  TaskDecisions(HiveSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * Events for {@code agentId} starting the next attempt, or empty when the task is not pending.
   * A task past its deadline is failed instead of started.
   */
  Optional<List<TaskEvent>> start(Task task, String agentId, AssignmentReason reason) {
    if (!task.exists() || task.status() != TaskStatus.PENDING) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    int attempt = task.attempts() + 1;
    Instant deadline = task.spec().deadline();
    if (deadline != null && now.isAfter(deadline)) {
      return Optional.of(List.of(new TaskEvent.TaskFailed(task.attempts(),
          "deadline " + deadline + " passed before the task could start", 0, false, null, now)));
    }
    return Optional.of(List.of(
        new TaskEvent.TaskAssigned(agentId, attempt, reason, now),
        new TaskEvent.TaskStarted(agentId, attempt, now)));
  }

  /**
   * The event that ends {@code agentId}'s current attempt, or empty when the settle is stale: the
   * task is not running on that agent (already settled, cancelled, or re-assigned).
   */
  Optional<TaskEvent> settle(Task task, String agentId, Outcome outcome) {
    boolean running = task.exists()
        && (task.status() == TaskStatus.RUNNING || task.status() == TaskStatus.ASSIGNED)
        && agentId.equals(task.assignedAgent());
    if (!running) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    int attempt = task.attempts();
    if (outcome.succeeded()) {
      return Optional.of(new TaskEvent.TaskCompleted(attempt, outcome.result(), now));
    }
    boolean willRetry =
        outcome.kind() != Outcome.Kind.FAILED_FINAL && attempt < task.spec().maxAttempts();
    Instant retryAt = willRetry ? now.plus(settings.retryDelay(attempt + 1)) : null;
    if (outcome.kind() == Outcome.Kind.TIMED_OUT) {
      return Optional.of(
          new TaskEvent.TaskTimedOut(attempt, task.spec().timeoutMs(), willRetry, retryAt, now));
    }
    TaskResult r = outcome.result();
    String error = r == null || r.error() == null ? "attempt ended: " + outcome.kind() : r.error();
    long duration = r == null ? 0 : r.durationMs();
    return Optional.of(new TaskEvent.TaskFailed(attempt, error, duration, willRetry, retryAt, now));
  }

  /** A dataset job's end: its last checkpoint (if given), then completed or failed for good. */
  List<TaskEvent> finishDataset(Task task, DatasetProgress progress, TaskResult r) {
    Instant now = clock.instant();
    long ms = task.startedAt() == null ? 0 : Duration.between(task.startedAt(), now).toMillis();
    List<TaskEvent> events = new ArrayList<>(2);
    if (progress != null) {
      events.add(new TaskEvent.TaskProgressed(progress, now));
    }
    events.add(r.success()
        ? new TaskEvent.TaskCompleted(task.attempts(),
            new TaskResult(true, r.output(), null, ms, r.qualityScore()), now)
        : new TaskEvent.TaskFailed(task.attempts(), r.error(), ms, false, null, now));
    return events;
  }
}
