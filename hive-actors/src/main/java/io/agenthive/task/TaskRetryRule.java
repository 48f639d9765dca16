package io.agenthive.task;

import io.agenthive.common.Refusal;

/** Which tasks may be retried: only a failed one that an agent ran, not a gate step. */
final class TaskRetryRule {
  private TaskRetryRule() {}

  /** Why task {@code taskId} in {@code state} may not be retried, or null when it may. */
  static Refusal refusal(String taskId, Task state) {
    if (!state.exists()) {
      return new Refusal.NotFound("task " + taskId + " not found");
    }
    if (state.status() != TaskStatus.FAILED) {
      return new Refusal.Conflict(
          "task "
              + taskId
              + " is "
              + state.status().label()
              + "; only a failed task can be retried");
    }
    if (state.spec().isGateStep()) {
      return new Refusal.Conflict(
          "task " + taskId + " is an approval or a wait; submit it again instead");
    }
    if (state.spec().waits() && state.dependencies() == null) {
      // it never ran: what it waited for failed, and a retry would run it without their outputs
      return new Refusal.Conflict(
          "task " + taskId + " failed because a dependency did; submit it again instead");
    }
    return null;
  }
}
