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
    int lostAttempts,
    List<String> awaiting)
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
   *
   * <p>{@code awaiting}: while it is blocked after an attempt that handed its work to subtasks,
   * their ids ({@link TaskEvent.TaskAwaitingSubtasks}); empty otherwise.
   */
  public Task {
    failedOn = failedOn == null ? List.of() : List.copyOf(failedOn);
    awaiting = awaiting == null ? List.of() : List.copyOf(awaiting);
  }

  /** The same task with another result (an erasure's rewrite of its read row). */
  public Task withResult(TaskResult r) {
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
        r,
        progress,
        dependencies,
        submittedBy,
        unreadable,
        failedOn,
        lostAttempts,
        awaiting);
  }

  public static Task empty(String id) {
    return new Task(
        id, null, null, 0, null, null, null, null, null, null, null, null, null, null, null, null,
        null, 0, null);
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
    Task next = new TaskFold(this).applyEvent(event);
    return unreadable == null || next.unreadable != null
        ? next
        : new TaskFold(next).damagedBy(unreadable);
  }
}
