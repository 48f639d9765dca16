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
    String unreadable,
    List<String> failedOn,
    int lostAttempts)
    implements CborSerializable {

  /**
   * {@code failedOn}: the agents whose attempts of this task failed or timed out, oldest first,
   * each once; a retry prefers other agents (the matcher reads it from {@link TaskQueue.TaskChange}
   * and, after a restart, from the task's view row). Empty in state folded before it existed.
   *
   * <p>{@code lostAttempts}: attempts that ended without running to an outcome on their agent (the
   * agent's node died, it restarted, it gave the task up): they count against {@code max_attempts}
   * (a task that kills its node must not run forever), but the attempt after one is the same run to
   * the tools it calls ({@link #run}).
   */
  public Task {
    failedOn = failedOn == null ? List.of() : List.copyOf(failedOn);
  }

  public static Task empty(String id) {
    return new Task(
        id, null, null, 0, null, null, null, null, null, null, null, null, null, null, null, null,
        null, 0);
  }

  /**
   * The run its current attempt belongs to, as the tools it calls see it: the attempt number
   * without the lost attempts before it, so an attempt run again after a crash is the same run, and
   * its tools can deduplicate the calls they saw before the crash.
   */
  public int run() {
    return Math.max(1, attempts - lostAttempts);
  }

  /** How long it ran (0 while it has not started); up to {@code now} while it runs. */
  public long runMillis(Instant now) {
    if (startedAt == null) {
      return 0;
    }
    Instant end = completedAt != null ? completedAt : status.isTerminal() ? startedAt : now;
    return Math.max(0, end.toEpochMilli() - startedAt.toEpochMilli());
  }

  /** When an approval or a wait began waiting: what its timeout and {@code for} count from. */
  private static Instant waitingSince(TaskStatus status, Instant at) {
    return status == TaskStatus.WAITING_FOR_APPROVAL || status == TaskStatus.WAITING ? at : null;
  }

  /**
   * The next instant at which time alone changes this task (its {@code not_before}, {@code
   * expires_at}, an approval's timeout, a wait's instant), or null ({@link TaskWakeAt}).
   */
  public Instant wakeAt() {
    return TaskWakeAt.of(this);
  }

  /** Not started yet, so {@code expires_at} still applies. */
  public boolean unstarted() {
    return attempts == 0
        && (status == TaskStatus.BLOCKED
            || status == TaskStatus.SCHEDULED
            || status == TaskStatus.PENDING);
  }

  /**
   * What the attempt at hand needs of its agent: the running one's, or for a task still waiting the
   * next one's (its escalation rung; see {@link TaskSpec#requirementsFor}).
   */
  public List<RequiredCapability> requirementsNow() {
    boolean running = status == TaskStatus.RUNNING || status == TaskStatus.ASSIGNED;
    return spec.requirementsFor(running ? Math.max(1, attempts) : attempts + 1);
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
        why,
        failedOn,
        lostAttempts);
  }

  private Task applyEvent(TaskEvent event) {
    if (event instanceof TaskEvent.TaskUnreadable e) {
      return damagedBy(e.error());
    }
    if (event instanceof TaskEvent.TaskSubmitted e) {
      TaskStatus first = e.spec().waits() ? TaskStatus.BLOCKED : e.spec().readyStatus(e.at());
      return new Task(
          id,
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
          failedOn,
          lostAttempts);
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
          unreadable,
          failedOn,
          lostAttempts);
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
          unreadable,
          failedOn,
          lostAttempts);
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
          unreadable,
          failedOn,
          lostAttempts);
    } else if (event instanceof TaskEvent.TaskCompleted e) {
      return finished(TaskStatus.COMPLETED, e.at(), e.result());
    } else if (event instanceof TaskEvent.TaskFailed e) {
      TaskResult failure = new TaskResult(false, null, e.error(), e.durationMs(), null);
      // an attempt that failed without its agent's outcome never ran to one: it was lost
      int lost = e.agent() == null ? lostAttempts + 1 : lostAttempts;
      return e.willRetry()
          ? retrying(e.retryAt(), failure, lost)
          : finished(TaskStatus.FAILED, e.at(), failure, withFailed(assignedAgent), lost);
    } else if (event instanceof TaskEvent.TaskTimedOut e) {
      TaskResult failure =
          new TaskResult(
              false, null, "timed out after " + e.timeoutMs() + " ms", e.timeoutMs(), null);
      return e.willRetry()
          ? retrying(e.retryAt(), failure)
          : finished(TaskStatus.FAILED, e.at(), failure, withFailed(assignedAgent), lostAttempts);
    } else if (event instanceof TaskEvent.TaskCancelled e) {
      return finished(TaskStatus.CANCELLED, e.at(), result);
    } else if (event instanceof TaskEvent.TaskUnblocked e) {
      TaskStatus ready = spec.readyStatus(e.at());
      return new Task(
          id,
          spec,
          ready,
          attempts,
          createdAt,
          null,
          waitingSince(ready, e.at()),
          null,
          null,
          null,
          null,
          null,
          null,
          e.dependencies(),
          submittedBy,
          unreadable,
          failedOn,
          lostAttempts);
    } else if (event instanceof TaskEvent.TaskDue e) {
      TaskStatus open = spec.gate().openStatus();
      return new Task(
          id,
          spec,
          open,
          attempts,
          createdAt,
          assignedAt,
          waitingSince(open, e.at()),
          null,
          null,
          assignedAgent,
          assignmentReason,
          result,
          progress,
          dependencies,
          submittedBy,
          unreadable,
          failedOn,
          lostAttempts);
    } else if (event instanceof TaskEvent.TaskExpired e) {
      return finished(TaskStatus.EXPIRED, e.at(), new TaskResult(false, null, e.error(), 0, null));
    } else if (event instanceof TaskEvent.TaskDecided e) {
      TaskResult decided = Decisions.result(e, runMillis(e.at()));
      return finished(e.approved() ? TaskStatus.COMPLETED : TaskStatus.REJECTED, e.at(), decided);
    } else if (event instanceof TaskEvent.TaskSignalled e) {
      return finished(
          TaskStatus.COMPLETED,
          e.at(),
          new TaskResult(true, e.payload(), null, runMillis(e.at()), null));
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
          unreadable,
          failedOn,
          lostAttempts);
    }
    throw new IllegalStateException("unknown event " + event);
  }

  private Task finished(TaskStatus terminal, Instant at, TaskResult last) {
    return finished(terminal, at, last, failedOn, lostAttempts);
  }

  // a task that failed for good still names its last attempt's agent in failedOn: an operator's
  // retry (which keeps failedOn) then prefers another agent, as an automatic retry does
  private Task finished(
      TaskStatus terminal, Instant at, TaskResult last, List<String> failed, int lost) {
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
        unreadable,
        failed,
        lost);
  }

  private Task retrying(Instant at, TaskResult last) {
    return retrying(at, last, lostAttempts);
  }

  private Task retrying(Instant at, TaskResult last, int lost) {
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
        unreadable,
        withFailed(assignedAgent),
        lost);
  }

  /** {@link #failedOn} with {@code agentId} added (once); unchanged for an attempt without one. */
  private List<String> withFailed(String agentId) {
    if (agentId == null || failedOn.contains(agentId)) {
      return failedOn;
    }
    List<String> more = new java.util.ArrayList<>(failedOn);
    more.add(agentId);
    return more;
  }
}
