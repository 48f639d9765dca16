package io.agenthive.task;

import io.agenthive.common.CborSerializable;
import io.agenthive.common.Personal;
import java.time.Instant;
import java.util.List;

/**
 * A task's history. A task that succeeds first time writes three: {@link TaskSubmitted}, {@link
 * TaskStarted} (its agent and why that agent), {@link TaskCompleted}. Class names are stable:
 * Jackson stores them as manifests, so renaming one needs an Akka Jackson migration.
 */
public sealed interface TaskEvent extends CborSerializable {
  Instant at();

  /** What this event adds to an agent's record: set on the outcome of an attempt it ran. */
  default AgentOutcome agentOutcome() {
    return null;
  }

  /** {@code by}: the principal who submitted it (null: the hub itself, e.g. a dataset's chunk). */
  record TaskSubmitted(String taskId, TaskSpec spec, Instant at, String by) implements TaskEvent {}

  /**
   * Written before this design started the task in the same event: journals from then hold an
   * assignment followed by a {@link TaskStarted} without a reason. Read, never written.
   */
  record TaskAssigned(String agentId, int attempt, AssignmentReason reason, Instant at)
      implements TaskEvent {}

  /**
   * Attempt {@code attempt} started on {@code agentId}, chosen for {@code reason}. A dataset task
   * starts with neither: its job is the hub's own.
   */
  record TaskStarted(String agentId, int attempt, Instant at, AssignmentReason reason)
      implements TaskEvent {}

  /** {@code agent}: what the attempt adds to its agent's record (absent for a dataset task). */
  record TaskCompleted(int attempt, TaskResult result, Instant at, AgentOutcome agent)
      implements TaskEvent {
    @Override
    public AgentOutcome agentOutcome() {
      return agent;
    }
  }

  record TaskFailed(
      int attempt,
      @Personal String error,
      long durationMs,
      boolean willRetry,
      Instant retryAt,
      Instant at,
      AgentOutcome agent)
      implements TaskEvent {
    @Override
    public AgentOutcome agentOutcome() {
      return agent;
    }
  }

  record TaskTimedOut(
      int attempt,
      long timeoutMs,
      boolean willRetry,
      Instant retryAt,
      Instant at,
      AgentOutcome agent)
      implements TaskEvent {
    @Override
    public AgentOutcome agentOutcome() {
      return agent;
    }
  }

  record TaskCancelled(String reason, Instant at, String by) implements TaskEvent {}

  /**
   * Attempt {@code attempt} handed its work to {@code subtasks} (its own) and ended waiting for
   * them: the task is blocked without its agent's slot until they have all ended, then queued again
   * with their outputs. {@code result} is what the attempt did so far (its tool calls).
   */
  record TaskAwaitingSubtasks(
      int attempt, List<String> subtasks, TaskResult result, Instant at, AgentOutcome agent)
      implements TaskEvent {
    @Override
    public AgentOutcome agentOutcome() {
      return agent;
    }

    /**
     * The task's spec after this attempt: the attempt takes no place in {@code max_attempts} (one
     * more), and no step on an escalation ladder (its rung is repeated, so the next attempt runs on
     * it too). Written into the spec, not counted beside it, so the read tables, the matcher's
     * rebuild and decision replay all see the same ladder as the entity.
     */
    public TaskSpec specAfter(TaskSpec spec) {
      TaskSpec more = spec.withMaxAttempts(spec.maxAttempts() + 1);
      List<EscalationRung> ladder = spec.escalation();
      if (ladder == null || attempt >= ladder.size() || attempt < 1) {
        return more; // no ladder, or already on its last rung, where every later attempt stays
      }
      List<EscalationRung> stay = new java.util.ArrayList<>(ladder);
      stay.add(attempt, ladder.get(attempt - 1));
      return more.withEscalation(stay);
    }
  }

  /** A dataset task's checkpoint: how far it got, and where a resumed job reads on. */
  record TaskProgressed(DatasetProgress progress, Instant at) implements TaskEvent {}

  /** An operator gave a failed task another attempt; it is pending again. */
  record TaskRetryRequested(int maxAttempts, Instant at, String by) implements TaskEvent {}

  /**
   * Every task this one waited for has ended, and it may run: it is queued now, and {@code
   * dependencies} (each one's output) reach its skill.
   */
  record TaskUnblocked(List<DependencyOutput> dependencies, Instant at) implements TaskEvent {}

  /**
   * A task this one waited for failed or was cancelled ({@code dependencyStatus}), so this one
   * fails without running (reason {@code dependency_failed}).
   */
  record TaskDependencyFailed(
      String dependencyId, String dependencyName, TaskStatus dependencyStatus, Instant at)
      implements TaskEvent {
    public String error() {
      return "dependency_failed: "
          + (dependencyName != null && !dependencyName.equals(dependencyId)
              ? dependencyName + " (" + dependencyId + ")"
              : dependencyId)
          + " "
          + dependencyStatus.label();
    }
  }

  /**
   * A scheduled task's {@code not_before} came: it is queued now (pending), or opens its gate (an
   * approval or a wait).
   */
  record TaskDue(Instant at) implements TaskEvent {}

  /** Not started before its {@code expires_at}: it never runs. */
  record TaskExpired(Instant expiresAt, Instant at) implements TaskEvent {
    public String error() {
      return "expired: not started before " + expiresAt;
    }
  }

  /**
   * An approval was decided by {@code by} (a principal's label, or {@code hub:timeout} when nobody
   * decided in time): approved, it completes with the decision as its output ({@code output} is an
   * approver's edited output, may be null); rejected, it ends {@code rejected}.
   */
  record TaskDecided(
      boolean approved,
      @Personal String comment,
      @Personal com.fasterxml.jackson.databind.JsonNode output,
      String by,
      Instant at)
      implements TaskEvent {}

  /** A wait step got its signal {@code name}; {@code payload} becomes its output. */
  record TaskSignalled(
      String name, @Personal com.fasterxml.jackson.databind.JsonNode payload, String by, Instant at)
      implements TaskEvent {}

  /**
   * Stands in, when the journal is read, for an event of this task that could not be deserialized
   * (a damaged row): never written. The task is failed for good with {@link #error} and listed in
   * the quarantine ({@code GET /api/admin/quarantine}).
   */
  record TaskUnreadable(long sequenceNr, String reason, Instant at) implements TaskEvent {
    public static final String REASON = "unreadable_history";

    public String error() {
      return "unreadable_history: event "
          + sequenceNr
          + " of this task could not be read ("
          + reason
          + "); it is listed in GET /api/admin/quarantine";
    }
  }
}
