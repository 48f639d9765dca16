package io.agenthive.task;

import io.agenthive.common.CborSerializable;
import java.time.Instant;
import java.util.List;

/**
 * A task's state, rebuilt from its events; also what queries return. {@code spec} carries the
 * resolved defaults. A null {@code status} means nothing was submitted under this id. {@code
 * progress} is a dataset task's last checkpoint (null for other tasks); {@code dependencies} what
 * the tasks it waited for left it (null for a task that waited for none).
 */
public record Task(
    String id,
    TaskSpec spec,
    TaskStatus status,
    int attempts,
    Instant createdAt,
    Instant assignedAt,
    Instant startedAt,
    Instant completedAt,
    Instant retryAt,
    String assignedAgent,
    AssignmentReason assignmentReason,
    TaskResult result,
    DatasetProgress progress,
    List<DependencyOutput> dependencies,
    String submittedBy,
    String unreadable)
    implements CborSerializable {

  public static Task empty(String id) {
    return new Task(
        id, null, null, 0, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  /** How long it ran (0 while it has not started); up to {@code now} while it runs. */
  public long runMillis(Instant now) {
    if (startedAt == null) {
      return 0;
    }
    Instant end = completedAt != null ? completedAt : status.isTerminal() ? startedAt : now;
    return Math.max(0, end.toEpochMilli() - startedAt.toEpochMilli());
  }

  public boolean exists() {
    return status != null;
  }

  /**
   * Whether part of this task's history could not be read: it is then failed for good, and nothing
   * may start, retry or cancel it ({@code unreadable} says which event and why).
   */
  public boolean damaged() {
    return unreadable != null;
  }

  public Task apply(TaskEvent event) {
    Task next = applyEvent(event);
    return unreadable == null || next.unreadable != null ? next : next.damagedBy(unreadable);
  }

  private Task damagedBy(String why) {
    TaskResult failure = new TaskResult(false, null, why, 0, null);
    return new Task(
        id,
        spec,
        TaskStatus.FAILED,
        attempts,
        createdAt,
        assignedAt,
        startedAt,
        completedAt != null ? completedAt : createdAt,
        null,
        assignedAgent,
        assignmentReason,
        status == TaskStatus.COMPLETED ? result : failure,
        progress,
        dependencies,
        submittedBy,
        why);
  }

  private Task applyEvent(TaskEvent event) {
    if (event instanceof TaskEvent.TaskUnreadable e) {
      return damagedBy(e.error());
    }
    if (event instanceof TaskEvent.TaskSubmitted e) {
      return new Task(
          id,
          e.spec(),
          e.spec().waits() ? TaskStatus.BLOCKED : TaskStatus.PENDING,
          0,
          e.at(),
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          e.by(),
          null);
    } else if (event instanceof TaskEvent.TaskAssigned e) {
      return new Task(
          id,
          spec,
          TaskStatus.ASSIGNED,
          e.attempt(),
          createdAt,
          e.at(),
          null,
          null,
          null,
          e.agentId(),
          e.reason(),
          result,
          progress,
          dependencies,
          submittedBy,
          unreadable);
    } else if (event instanceof TaskEvent.TaskStarted e) {
      // a start with a reason is also the assignment; an older journal assigned separately, and
      // a dataset task starts with no agent at all: its job is the hub's own
      boolean assigned = e.reason() != null;
      return new Task(
          id,
          spec,
          TaskStatus.RUNNING,
          Math.max(attempts, e.attempt()),
          createdAt,
          assigned ? e.at() : assignedAt,
          e.at(),
          null,
          null,
          e.agentId() != null ? e.agentId() : assignedAgent,
          assigned ? e.reason() : assignmentReason,
          result,
          progress,
          dependencies,
          submittedBy,
          unreadable);
    } else if (event instanceof TaskEvent.TaskProgressed e) {
      return new Task(
          id,
          spec,
          status,
          attempts,
          createdAt,
          assignedAt,
          startedAt,
          completedAt,
          retryAt,
          assignedAgent,
          assignmentReason,
          result,
          e.progress(),
          dependencies,
          submittedBy,
          unreadable);
    } else if (event instanceof TaskEvent.TaskCompleted e) {
      return finished(TaskStatus.COMPLETED, e.at(), e.result());
    } else if (event instanceof TaskEvent.TaskFailed e) {
      TaskResult failure = new TaskResult(false, null, e.error(), e.durationMs(), null);
      return e.willRetry()
          ? retrying(e.retryAt(), failure)
          : finished(TaskStatus.FAILED, e.at(), failure);
    } else if (event instanceof TaskEvent.TaskTimedOut e) {
      TaskResult failure =
          new TaskResult(
              false, null, "timed out after " + e.timeoutMs() + " ms", e.timeoutMs(), null);
      return e.willRetry()
          ? retrying(e.retryAt(), failure)
          : finished(TaskStatus.FAILED, e.at(), failure);
    } else if (event instanceof TaskEvent.TaskCancelled e) {
      return finished(TaskStatus.CANCELLED, e.at(), result);
    } else if (event instanceof TaskEvent.TaskUnblocked e) {
      return new Task(
          id,
          spec,
          TaskStatus.PENDING,
          attempts,
          createdAt,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          e.dependencies(),
          submittedBy,
          unreadable);
    } else if (event instanceof TaskEvent.TaskDependencyFailed e) {
      return finished(TaskStatus.FAILED, e.at(), new TaskResult(false, null, e.error(), 0, null));
    } else if (event instanceof TaskEvent.TaskRetryRequested e) {
      return new Task(
          id,
          spec.withMaxAttempts(e.maxAttempts()),
          TaskStatus.PENDING,
          attempts,
          createdAt,
          assignedAt,
          startedAt,
          null,
          null,
          assignedAgent,
          assignmentReason,
          result,
          progress,
          dependencies,
          submittedBy,
          unreadable);
    }
    throw new IllegalStateException("unknown event " + event);
  }

  private Task finished(TaskStatus terminal, Instant at, TaskResult last) {
    return new Task(
        id,
        spec,
        terminal,
        attempts,
        createdAt,
        assignedAt,
        startedAt,
        at,
        null,
        assignedAgent,
        assignmentReason,
        last,
        progress,
        dependencies,
        submittedBy,
        unreadable);
  }

  private Task retrying(Instant at, TaskResult last) {
    return new Task(
        id,
        spec,
        TaskStatus.PENDING,
        attempts,
        createdAt,
        assignedAt,
        startedAt,
        null,
        at,
        assignedAgent,
        assignmentReason,
        last,
        progress,
        dependencies,
        submittedBy,
        unreadable);
  }
}
