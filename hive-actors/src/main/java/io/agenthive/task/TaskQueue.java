package io.agenthive.task;

import io.agenthive.common.CborSerializable;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The queue a task entity is matched from, as the entity sees it: the hive wires the matcher in
 * here, so this package does not depend on the matcher's. The entity asks for a place before it
 * journals a submission (so "queue full" is answered before anything is written) and reports every
 * journaled status change, which is how the matcher keeps its queue and counts in step.
 */
public interface TaskQueue {

  /** Asks for a place in the queue; refused when the queue is at its bound. */
  CompletionStage<Admission> admit(QueuedTask task);

  /** A status change the entity has journaled. Fire and forget: a lost one is rebuilt. */
  void changed(TaskChange change);

  /**
   * What the queue needs of a waiting task; {@code queuedAt} is where its aging starts; {@code
   * workflowId} and {@code principal} (who submitted it) are what budgets may hold it back for;
   * {@code spreadGroup} ({@link SpreadGroup}) the tasks it should not share an agent with.
   */
  record QueuedTask(
      String taskId,
      Priority priority,
      List<RequiredCapability> requirements,
      Instant queuedAt,
      String workflowId,
      String principal,
      List<String> failedOn,
      String spreadGroup)
      implements CborSerializable {

    public QueuedTask {
      requirements = List.copyOf(requirements);
      failedOn = failedOn == null ? List.of() : List.copyOf(failedOn);
    }

    /** A task in no {@link SpreadGroup}. */
    public QueuedTask(
        String taskId,
        Priority priority,
        List<RequiredCapability> requirements,
        Instant queuedAt,
        String workflowId,
        String principal,
        List<String> failedOn) {
      this(taskId, priority, requirements, queuedAt, workflowId, principal, failedOn, null);
    }

    public QueuedTask(
        String taskId, Priority priority, List<RequiredCapability> requirements, Instant queuedAt) {
      this(taskId, priority, requirements, queuedAt, null, null, null);
    }

    /** A task no attempt has failed yet. */
    public QueuedTask(
        String taskId,
        Priority priority,
        List<RequiredCapability> requirements,
        Instant queuedAt,
        String workflowId,
        String principal) {
      this(taskId, priority, requirements, queuedAt, workflowId, principal, null);
    }

    /**
     * The task as queued for attempt {@code attempt}: its requirements are that attempt's, and
     * {@code failedOn} the agents its earlier attempts failed on ({@link Task#failedOn}).
     */
    static QueuedTask of(
        String taskId,
        TaskSpec spec,
        int attempt,
        List<String> failedOn,
        String by,
        Instant queuedAt) {
      Dependencies d = spec.dependencies();
      return new QueuedTask(
          taskId,
          spec.priority(),
          spec.requirementsFor(attempt),
          queuedAt,
          d == null ? null : d.workflowId(),
          by,
          failedOn,
          SpreadGroup.of(d));
    }
  }

  sealed interface Admission extends CborSerializable {}

  record Admitted() implements Admission {}

  record QueueFull(int bound) implements Admission {
    /** The one wording of a refusal for room, whoever asked. */
    public String message() {
      return "queue full: " + bound + " tasks are pending; retry later";
    }
  }

  /**
   * Task {@code taskId} went from {@code from} (null: it did not exist) to {@code to}. {@code
   * queued} is set when it is pending again (with {@code retryAt} when it waits for a retry),
   * {@code agentId} when it started on an agent, {@code agentOutcome} when an attempt that ran on
   * an agent ended; {@code wakeAt} when time alone will change it next ({@link Task#wakeAt}).
   */
  record TaskChange(
      String taskId,
      TaskStatus from,
      TaskStatus to,
      QueuedTask queued,
      Instant retryAt,
      String agentId,
      AgentOutcome agentOutcome,
      Instant at,
      Instant wakeAt)
      implements CborSerializable {
    public TaskChange(
        String taskId,
        TaskStatus from,
        TaskStatus to,
        QueuedTask queued,
        Instant retryAt,
        String agentId,
        AgentOutcome agentOutcome,
        Instant at) {
      this(taskId, from, to, queued, retryAt, agentId, agentOutcome, at, null);
    }
  }
}
