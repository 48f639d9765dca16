package io.agenthive.matcher;

import io.agenthive.agent.Agent;
import io.agenthive.task.Priority;
import io.agenthive.task.RequiredCapability;
import io.agenthive.task.TaskStatus;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where a (re)starting matcher learns what the journal holds: every agent with its record, the
 * tasks not yet ended, and how many tasks there are by status. The persistence module provides it
 * from the read side plus the journal after the read side's offset; a hive without a read side (the
 * in-memory test set-up) starts from {@link #EMPTY}.
 */
public interface Backlog {

  CompletionStage<Snapshot> load();

  /**
   * A task not yet ended: pending (ready, or waiting until {@code retryAt}) or running on {@code
   * agentId}. {@code sequence} orders tasks of equal urgency (the journal's order); {@code
   * workflowId} and {@code principal} are what budgets may hold it back for; {@code failedOn} the
   * agents its failed attempts ran on, which its retry avoids.
   */
  record OpenTask(
      String taskId,
      Priority priority,
      List<RequiredCapability> requirements,
      long sequence,
      Instant queuedAt,
      TaskStatus status,
      String agentId,
      Instant retryAt,
      String workflowId,
      String principal,
      List<String> failedOn) {
    public OpenTask {
      failedOn = failedOn == null ? List.of() : List.copyOf(failedOn);
    }

    /** A task no attempt has failed yet. */
    public OpenTask(
        String taskId,
        Priority priority,
        List<RequiredCapability> requirements,
        long sequence,
        Instant queuedAt,
        TaskStatus status,
        String agentId,
        Instant retryAt,
        String workflowId,
        String principal) {
      this(
          taskId,
          priority,
          requirements,
          sequence,
          queuedAt,
          status,
          agentId,
          retryAt,
          workflowId,
          principal,
          null);
    }
  }

  /**
   * {@code wakeups}: every task that time alone will change next, and when ({@code Task.wakeAt}):
   * scheduled tasks, open approvals and waits with a timeout, tasks that may expire.
   */
  record Snapshot(
      List<Agent> agents,
      List<OpenTask> openTasks,
      Map<TaskStatus, Long> taskCounts,
      Map<String, Instant> wakeups) {
    public Snapshot(
        List<Agent> agents, List<OpenTask> openTasks, Map<TaskStatus, Long> taskCounts) {
      this(agents, openTasks, taskCounts, Map.of());
    }
  }

  /** The dataset tasks at work in a snapshot: running, with no agent (their job runs them). */
  static Set<String> datasetJobs(Snapshot snapshot) {
    Set<String> jobs = new HashSet<>();
    for (OpenTask t : snapshot.openTasks()) {
      if (t.status() == TaskStatus.RUNNING && t.agentId() == null) {
        jobs.add(t.taskId());
      }
    }
    return jobs;
  }

  /**
   * Whether a snapshot is the whole truth, so that the matcher may mend its picture from it
   * (reconciliation): not for {@link #EMPTY}, which knows nothing.
   */
  default boolean reconcilable() {
    return true;
  }

  Backlog EMPTY =
      new Backlog() {
        @Override
        public CompletionStage<Snapshot> load() {
          return CompletableFuture.completedFuture(new Snapshot(List.of(), List.of(), Map.of()));
        }

        @Override
        public boolean reconcilable() {
          return false;
        }
      };
}
