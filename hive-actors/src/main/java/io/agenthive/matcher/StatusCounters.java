package io.agenthive.matcher;

import io.agenthive.agent.AgentState;
import io.agenthive.task.Priority;
import io.agenthive.task.TaskStatus;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The running totals behind {@link HiveCounts}, updated by the matcher as events arrive. "Running"
 * means one thing everywhere: attempts at work on agents. A dataset task whose job is at work has
 * status running too, but no agent runs it (its chunks are the tasks agents run): it is counted
 * apart, as a dataset job, so running agrees with in flight and with the agents working.
 */
final class StatusCounters {
  private static final int WINDOW_SECONDS = 60;
  private final Map<TaskStatus, Long> tasks = new EnumMap<>(TaskStatus.class);
  private final Map<AgentState, Long> agents = new EnumMap<>(AgentState.class);
  private final Set<String> jobs = new HashSet<>();
  private final long[] completions = new long[WINDOW_SECONDS];
  private final long[] completionSecond = new long[WINDOW_SECONDS];
  private double proficiencySum;
  private long proficiencyCount;

  StatusCounters() {
    for (TaskStatus s : TaskStatus.values()) {
      tasks.put(s, 0L);
    }
    for (AgentState s : AgentState.values()) {
      agents.put(s, 0L);
    }
  }

  /** Tasks by status as counted now (a copy). */
  Map<TaskStatus, Long> tasks() {
    return new EnumMap<>(tasks);
  }

  /** Counts by status as the journal has them, and the dataset jobs at work among the running. */
  void seedTasks(Map<TaskStatus, Long> counts, Set<String> datasetJobs) {
    counts.forEach((status, n) -> tasks.put(status, n));
    jobs.clear();
    jobs.addAll(datasetJobs);
  }

  /** The dataset jobs counted apart from the running attempts (a copy). */
  Set<String> jobs() {
    return Set.copyOf(jobs);
  }

  /**
   * A task went from {@code from} (null: it is new) to {@code to}; {@code onAgent}: an agent runs
   * it (false for a dataset task's job).
   */
  void taskMoved(String taskId, TaskStatus from, TaskStatus to, boolean onAgent, Instant at) {
    if (to == TaskStatus.RUNNING && !onAgent) {
      jobs.add(taskId);
    } else {
      jobs.remove(taskId);
    }
    if (from != null) {
      tasks.merge(from, -1L, Long::sum);
    }
    tasks.merge(to, 1L, Long::sum);
    if (to == TaskStatus.COMPLETED) {
      long second = at.getEpochSecond();
      int slot = (int) Math.floorMod(second, (long) WINDOW_SECONDS);
      if (completionSecond[slot] != second) {
        completionSecond[slot] = second;
        completions[slot] = 0;
      }
      completions[slot]++;
    }
  }

  void agentMoved(AgentState from, AgentState to) {
    if (from != null) {
      agents.merge(from, -1L, Long::sum);
    }
    if (to != null) {
      agents.merge(to, 1L, Long::sum);
    }
  }

  /** Adds (sign 1) or takes away (sign -1) an agent's proficiencies from the mean. */
  void proficiencies(Map<String, Double> proficiencies, int sign) {
    for (double p : proficiencies.values()) {
      proficiencySum += sign * p;
      proficiencyCount += sign;
    }
  }

  HiveCounts snapshot(
      Map<Priority, Integer> depth,
      int inFlight,
      int freeAgents,
      Map<String, Integer> waiting,
      Instant now) {
    long since = now.getEpochSecond() - WINDOW_SECONDS;
    long done = 0;
    for (int i = 0; i < WINDOW_SECONDS; i++) {
      if (completionSecond[i] > since) {
        done += completions[i];
      }
    }
    double mean = proficiencyCount == 0 ? 0.0 : proficiencySum / proficiencyCount;
    Map<TaskStatus, Long> byStatus = new EnumMap<>(tasks);
    byStatus.merge(TaskStatus.RUNNING, -(long) jobs.size(), Long::sum);
    return new HiveCounts(
        new EnumMap<>(agents),
        byStatus,
        depth,
        inFlight,
        freeAgents,
        mean,
        done / (double) WINDOW_SECONDS,
        now,
        waiting,
        jobs.size());
  }
}
