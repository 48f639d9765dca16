package io.agenthive.task;

import java.time.Instant;
import java.util.List;

/** Builds the {@link TaskQueue.TaskChange} that a journaled batch of a task's events makes. */
final class TaskChanges {
  private TaskChanges() {}

  static TaskQueue.TaskChange between(
      Task before, Task after, List<TaskEvent> events, Instant now) {
    TaskQueue.QueuedTask queued = null;
    if (after.status() == TaskStatus.PENDING) {
      // a retry after a failed attempt keeps its place; one an operator asked for queues anew
      // so does a task its dependencies released: its wait starts now
      Instant queuedAt =
          before.status() == TaskStatus.FAILED
                  || before.status() == TaskStatus.BLOCKED
                  || before.status() == TaskStatus.SCHEDULED
              ? now
              : after.createdAt();
      queued =
          TaskQueue.QueuedTask.of(
              after.id(),
              after.spec(),
              after.attempts() + 1,
              after.failedOn(),
              after.submittedBy(),
              queuedAt);
    }
    String agentId = after.status() == TaskStatus.RUNNING ? after.assignedAgent() : null;
    AgentOutcome outcome = null;
    for (TaskEvent e : events) {
      if (e.agentOutcome() != null) {
        outcome = e.agentOutcome();
      }
    }
    return new TaskQueue.TaskChange(
        after.id(),
        before.status(),
        after.status(),
        queued,
        after.retryAt(),
        agentId,
        outcome,
        now,
        after.wakeAt());
  }
}
