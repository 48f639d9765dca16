package io.agenthive.task;

import io.agenthive.common.CborSerializable;
import io.agenthive.task.DatasetProgress;
import io.agenthive.task.AssignmentReason;
import java.time.Instant;

/**
 * A task's history. Class names are stable: Jackson stores them as manifests, so renaming one
 * needs an Akka Jackson migration.
 */
public sealed interface TaskEvent extends CborSerializable {
  Instant at();

  record TaskSubmitted(String taskId, TaskSpec spec, Instant at) implements TaskEvent {}

  record TaskAssigned(String agentId, int attempt, AssignmentReason reason, Instant at)
      implements TaskEvent {}

  record TaskStarted(String agentId, int attempt, Instant at) implements TaskEvent {}

  record TaskCompleted(int attempt, TaskResult result, Instant at) implements TaskEvent {}

  record TaskFailed(
      int attempt, String error, long durationMs, boolean willRetry, Instant retryAt, Instant at)
      implements TaskEvent {}

  record TaskTimedOut(int attempt, long timeoutMs, boolean willRetry, Instant retryAt, Instant at)
      implements TaskEvent {}

  record TaskCancelled(String reason, Instant at) implements TaskEvent {}

  /** A dataset task's checkpoint: how far it got, and where a resumed job reads on. */
  record TaskProgressed(DatasetProgress progress, Instant at) implements TaskEvent {}

  /** An operator gave a failed task another attempt; it is pending again. */
  record TaskRetryRequested(int maxAttempts, Instant at) implements TaskEvent {}
}
