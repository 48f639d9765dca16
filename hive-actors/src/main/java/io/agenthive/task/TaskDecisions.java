package io.agenthive.task;

import io.agenthive.common.HiveSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The task entity's rules as plain functions: which events a start, a settle or a finish makes. */
final class TaskDecisions {
  /** In a settle: the agent's current attempt, whichever it is (the matcher does not know). */
  static final int CURRENT_ATTEMPT = 0;

  private final HiveSettings settings;
  private final Clock clock;

  TaskDecisions(HiveSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * The event for {@code agentId} starting the next attempt, or empty when the task is not pending.
   * A task past its deadline is failed instead of started.
   */
  Optional<TaskEvent> start(Task task, String agentId, AssignmentReason reason) {
    if (!task.exists() || task.status() != TaskStatus.PENDING) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    TaskGate gate = task.spec().gate();
    if (gate != null
        && gate.expiresAt() != null
        && task.unstarted()
        && !now.isBefore(gate.expiresAt())) {
      return Optional.of(new TaskEvent.TaskExpired(gate.expiresAt(), now));
    }
    Instant deadline = task.spec().deadline();
    if (deadline != null && now.isAfter(deadline)) {
      return Optional.of(
          new TaskEvent.TaskFailed(
              task.attempts(),
              "deadline " + deadline + " passed before the task could start",
              0,
              false,
              null,
              now,
              null));
    }
    return Optional.of(new TaskEvent.TaskStarted(agentId, task.attempts() + 1, now, reason));
  }

  /** Whether a settle from {@code agentId} for {@code attempt} ends the attempt now running. */
  static boolean current(Task task, String agentId, int attempt) {
    return task.exists()
        && (task.status() == TaskStatus.RUNNING || task.status() == TaskStatus.ASSIGNED)
        && agentId.equals(task.assignedAgent())
        && (attempt == CURRENT_ATTEMPT || attempt == task.attempts());
  }

  /**
   * The event that ends {@code agentId}'s current attempt, or empty when the settle is stale: the
   * task is not running that attempt on that agent (already settled, cancelled, or re-assigned).
   * {@code agent} is what the attempt adds to the agent's record, when it ran there.
   */
  Optional<TaskEvent> settle(
      Task task, String agentId, int attempt, Outcome outcome, AgentOutcome agent) {
    if (!current(task, agentId, attempt)) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    int n = task.attempts();
    if (outcome.kind() == Outcome.Kind.AWAITING_SUBTASKS) {
      return Optional.of(
          new TaskEvent.TaskAwaitingSubtasks(n, outcome.awaiting(), outcome.result(), now, agent));
    }
    if (outcome.succeeded()) {
      return Optional.of(new TaskEvent.TaskCompleted(n, outcome.result(), now, agent));
    }
    boolean willRetry =
        outcome.kind() != Outcome.Kind.FAILED_FINAL && n < task.spec().maxAttempts();
    Instant retryAt = willRetry ? now.plus(settings.retryDelay(n + 1)) : null;
    if (outcome.kind() == Outcome.Kind.TIMED_OUT) {
      return Optional.of(
          new TaskEvent.TaskTimedOut(n, task.spec().timeoutMs(), willRetry, retryAt, now, agent));
    }
    TaskResult r = outcome.result();
    String error =
        r == null || r.error() == null
            ? "no result (" + outcome.kind().name().toLowerCase(Locale.ROOT) + ")"
            : r.error();
    long duration = r == null ? 0 : r.durationMs();
    return Optional.of(
        new TaskEvent.TaskFailed(n, error, duration, willRetry, retryAt, now, agent));
  }

  /** A dataset job's end: its last checkpoint (if given), then completed or failed for good. */
  List<TaskEvent> finishDataset(Task task, DatasetProgress progress, TaskResult r) {
    Instant now = clock.instant();
    long ms = task.startedAt() == null ? 0 : Duration.between(task.startedAt(), now).toMillis();
    List<TaskEvent> events = new ArrayList<>(2);
    if (progress != null) {
      events.add(new TaskEvent.TaskProgressed(progress, now));
    }
    events.add(
        r.success()
            ? new TaskEvent.TaskCompleted(
                task.attempts(),
                new TaskResult(true, r.output(), null, ms, r.qualityScore()),
                now,
                null)
            : new TaskEvent.TaskFailed(task.attempts(), r.error(), ms, false, null, now, null));
    return events;
  }

  /** Run when the task is running on this agent (a repeated start too), else why not. */
  TaskReplies.StartReply startReply(Task state, String agentId) {
    if (!state.exists()) {
      return new TaskReplies.Refused(null, "task " + state.id() + " was never submitted");
    }
    if (state.status() == TaskStatus.RUNNING || state.status() == TaskStatus.ASSIGNED) {
      return agentId.equals(state.assignedAgent())
          ? new TaskReplies.Run(state.attempts(), state.spec(), state.dependencies(), state.run())
          : new TaskReplies.Refused(state.status(), "already running on " + state.assignedAgent());
    }
    return new TaskReplies.Refused(state.status(), "task is " + state.status().label());
  }
}
