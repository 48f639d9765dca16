package io.agenthive.task;

import java.time.Instant;
import java.util.List;

/**
 * How one event changes a task's state ({@link Task#apply}): the fold, apart from {@link Task} so
 * that file stays about what a task's state says.
 */
final class TaskFold {
  private final Task t;

  TaskFold(Task t) {
    this.t = t;
  }

  /** When an approval or a wait began waiting: what its timeout and {@code for} count from. */
  private static Instant waitingSince(TaskStatus status, Instant at) {
    return status == TaskStatus.WAITING_FOR_APPROVAL || status == TaskStatus.WAITING ? at : null;
  }

  Task damagedBy(String why) {
    TaskResult failure = new TaskResult(false, null, why, 0, null);
    return new Task(
        t.id(),
        t.spec(),
        TaskStatus.FAILED,
        t.attempts(),
        t.createdAt(),
        t.assignedAt(),
        t.startedAt(),
        t.completedAt() != null ? t.completedAt() : t.createdAt(),
        null,
        t.assignedAgent(),
        t.assignmentReason(),
        t.status() == TaskStatus.COMPLETED ? t.result() : failure,
        t.progress(),
        t.dependencies(),
        t.submittedBy(),
        why,
        t.failedOn(),
        t.lostAttempts(),
        List.of());
  }

  Task applyEvent(TaskEvent event) {
    if (event instanceof TaskEvent.TaskUnreadable e) {
      return damagedBy(e.error());
    }
    if (event instanceof TaskEvent.TaskSubmitted e) {
      TaskStatus first = e.spec().waits() ? TaskStatus.BLOCKED : e.spec().readyStatus(e.at());
      return new Task(
          t.id(),
          e.spec(),
          first,
          0,
          e.at(),
          null,
          waitingSince(first, e.at()),
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          e.by(),
          null,
          t.failedOn(),
          t.lostAttempts(),
          t.awaiting());
    } else if (event instanceof TaskEvent.TaskAssigned e) {
      return new Task(
          t.id(),
          t.spec(),
          TaskStatus.ASSIGNED,
          e.attempt(),
          t.createdAt(),
          e.at(),
          null,
          null,
          null,
          e.agentId(),
          e.reason(),
          t.result(),
          t.progress(),
          t.dependencies(),
          t.submittedBy(),
          t.unreadable(),
          t.failedOn(),
          t.lostAttempts(),
          t.awaiting());
    } else if (event instanceof TaskEvent.TaskStarted e) {
      // a start with a reason is also the assignment; an older journal assigned separately, and
      // a dataset task starts with no agent at all: its job is the hub's own
      boolean assigned = e.reason() != null;
      return new Task(
          t.id(),
          t.spec(),
          TaskStatus.RUNNING,
          Math.max(t.attempts(), e.attempt()),
          t.createdAt(),
          assigned ? e.at() : t.assignedAt(),
          e.at(),
          null,
          null,
          e.agentId() != null ? e.agentId() : t.assignedAgent(),
          assigned ? e.reason() : t.assignmentReason(),
          t.result(),
          t.progress(),
          t.dependencies(),
          t.submittedBy(),
          t.unreadable(),
          t.failedOn(),
          t.lostAttempts(),
          t.awaiting());
    } else if (event instanceof TaskEvent.TaskProgressed e) {
      return new Task(
          t.id(),
          t.spec(),
          t.status(),
          t.attempts(),
          t.createdAt(),
          t.assignedAt(),
          t.startedAt(),
          t.completedAt(),
          t.retryAt(),
          t.assignedAgent(),
          t.assignmentReason(),
          t.result(),
          e.progress(),
          t.dependencies(),
          t.submittedBy(),
          t.unreadable(),
          t.failedOn(),
          t.lostAttempts(),
          t.awaiting());
    } else if (event instanceof TaskEvent.TaskCompleted e) {
      return finished(TaskStatus.COMPLETED, e.at(), e.result());
    } else if (event instanceof TaskEvent.TaskFailed e) {
      TaskResult failure = new TaskResult(false, null, e.error(), e.durationMs(), null);
      // an attempt that failed without its agent's outcome never ran to one: it was lost
      int lost = e.agent() == null ? t.lostAttempts() + 1 : t.lostAttempts();
      return e.willRetry()
          ? retrying(e.retryAt(), failure, lost)
          : finished(TaskStatus.FAILED, e.at(), failure, withFailed(t.assignedAgent()), lost);
    } else if (event instanceof TaskEvent.TaskTimedOut e) {
      TaskResult failure =
          new TaskResult(
              false, null, "timed out after " + e.timeoutMs() + " ms", e.timeoutMs(), null);
      return e.willRetry()
          ? retrying(e.retryAt(), failure)
          : finished(
              TaskStatus.FAILED, e.at(), failure, withFailed(t.assignedAgent()), t.lostAttempts());
    } else if (event instanceof TaskEvent.TaskCancelled e) {
      return finished(TaskStatus.CANCELLED, e.at(), t.result());
    } else if (event instanceof TaskEvent.TaskAwaitingSubtasks e) {
      return awaitingSubtasks(e);
    } else if (event instanceof TaskEvent.TaskUnblocked e) {
      TaskStatus ready = t.spec().readyStatus(e.at());
      return new Task(
          t.id(),
          t.spec(),
          ready,
          t.attempts(),
          t.createdAt(),
          null,
          waitingSince(ready, e.at()),
          null,
          null,
          null,
          null,
          null,
          null,
          e.dependencies(),
          t.submittedBy(),
          t.unreadable(),
          t.failedOn(),
          t.lostAttempts(),
          List.of());
    } else if (event instanceof TaskEvent.TaskDue e) {
      TaskStatus open = t.spec().gate().openStatus();
      return new Task(
          t.id(),
          t.spec(),
          open,
          t.attempts(),
          t.createdAt(),
          t.assignedAt(),
          waitingSince(open, e.at()),
          null,
          null,
          t.assignedAgent(),
          t.assignmentReason(),
          t.result(),
          t.progress(),
          t.dependencies(),
          t.submittedBy(),
          t.unreadable(),
          t.failedOn(),
          t.lostAttempts(),
          t.awaiting());
    } else if (event instanceof TaskEvent.TaskExpired e) {
      return finished(TaskStatus.EXPIRED, e.at(), new TaskResult(false, null, e.error(), 0, null));
    } else if (event instanceof TaskEvent.TaskDecided e) {
      TaskResult decided = Decisions.result(e, t.runMillis(e.at()));
      return finished(e.approved() ? TaskStatus.COMPLETED : TaskStatus.REJECTED, e.at(), decided);
    } else if (event instanceof TaskEvent.TaskSignalled e) {
      return finished(
          TaskStatus.COMPLETED,
          e.at(),
          new TaskResult(true, e.payload(), null, t.runMillis(e.at()), null));
    } else if (event instanceof TaskEvent.TaskDependencyFailed e) {
      return finished(TaskStatus.FAILED, e.at(), new TaskResult(false, null, e.error(), 0, null));
    } else if (event instanceof TaskEvent.TaskRetryRequested e) {
      return new Task(
          t.id(),
          t.spec().withMaxAttempts(e.maxAttempts()),
          TaskStatus.PENDING,
          t.attempts(),
          t.createdAt(),
          t.assignedAt(),
          t.startedAt(),
          null,
          null,
          t.assignedAgent(),
          t.assignmentReason(),
          t.result(),
          t.progress(),
          t.dependencies(),
          t.submittedBy(),
          t.unreadable(),
          t.failedOn(),
          t.lostAttempts(),
          t.awaiting());
    }
    throw new IllegalStateException("unknown event " + event);
  }

  private Task finished(TaskStatus terminal, Instant at, TaskResult last) {
    return finished(terminal, at, last, t.failedOn(), t.lostAttempts());
  }

  // a task that failed for good still names its last attempt's agent in failedOn: an operator's
  // retry (which keeps failedOn) then prefers another agent, as an automatic retry does
  private Task finished(
      TaskStatus terminal, Instant at, TaskResult last, List<String> failed, int lost) {
    return new Task(
        t.id(),
        t.spec(),
        terminal,
        t.attempts(),
        t.createdAt(),
        t.assignedAt(),
        t.startedAt(),
        at,
        null,
        t.assignedAgent(),
        t.assignmentReason(),
        last,
        t.progress(),
        t.dependencies(),
        t.submittedBy(),
        t.unreadable(),
        failed,
        lost,
        List.of());
  }

  private Task retrying(Instant at, TaskResult last) {
    return retrying(at, last, t.lostAttempts());
  }

  private Task retrying(Instant at, TaskResult last, int lost) {
    return new Task(
        t.id(),
        t.spec(),
        TaskStatus.PENDING,
        t.attempts(),
        t.createdAt(),
        t.assignedAt(),
        t.startedAt(),
        null,
        at,
        t.assignedAgent(),
        t.assignmentReason(),
        last,
        t.progress(),
        t.dependencies(),
        t.submittedBy(),
        t.unreadable(),
        withFailed(t.assignedAgent()),
        lost,
        List.of());
  }

  /**
   * Blocked until its subtasks have ended. The attempt takes no place in its budget or its ladder
   * ({@link TaskEvent.TaskAwaitingSubtasks#specAfter}), and {@code retryAt} is when it looks at
   * them if none has said it ended ({@link TaskWakeAt}).
   */
  private Task awaitingSubtasks(TaskEvent.TaskAwaitingSubtasks e) {
    return new Task(
        t.id(),
        e.specAfter(t.spec()),
        TaskStatus.BLOCKED,
        t.attempts(),
        t.createdAt(),
        t.assignedAt(),
        t.startedAt(),
        null,
        e.at().plus(TaskAwaitHandlers.LOOK_AGAIN),
        t.assignedAgent(),
        t.assignmentReason(),
        e.result(),
        t.progress(),
        t.dependencies(),
        t.submittedBy(),
        t.unreadable(),
        t.failedOn(),
        t.lostAttempts(),
        e.subtasks());
  }

  /** {@link #failedOn} with {@code agentId} added (once); unchanged for an attempt without one. */
  private List<String> withFailed(String agentId) {
    if (agentId == null || t.failedOn().contains(agentId)) {
      return t.failedOn();
    }
    List<String> more = new java.util.ArrayList<>(t.failedOn());
    more.add(agentId);
    return more;
  }
}
