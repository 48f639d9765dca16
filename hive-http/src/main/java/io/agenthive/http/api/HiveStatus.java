package io.agenthive.http.api;

import io.agenthive.agent.AgentState;
import io.agenthive.matcher.HiveCounts;
import io.agenthive.task.Priority;
import io.agenthive.task.TaskStatus;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/hive/status}, from the counts the matcher keeps as things happen (this node's
 * copy: no actor is asked and nothing is counted per request). Success rate = completed /
 * (completed + failed); average performance = mean proficiency over every capability of every
 * non-retired agent; throughput = tasks completed in the last minute / 60; budget holds = the
 * budgets that hold work back now (reason budget_exhausted); waiting by reason = why the waiting
 * tasks wait (no_agent_qualifies: they can never run until an agent with their capabilities is
 * added). Running (in {@code tasks}) = attempts at work on agents, as in flight and the agents
 * working count them; a dataset task whose job is at work is in {@code datasetJobsRunning} instead
 * (its chunks are the running tasks).
 */
public record HiveStatus(
    String hiveId,
    String version,
    long uptimeMs,
    Map<String, Long> agents,
    Map<String, Long> tasks,
    Map<String, Integer> queueDepth,
    int inFlight,
    Double successRate,
    double averagePerformance,
    double tasksPerSecondLastMinute,
    List<BudgetViews.HoldJson> budgetHolds,
    Map<String, Integer> waitingByReason,
    int datasetJobsRunning) {

  static HiveStatus of(
      String hiveId,
      String version,
      Duration uptime,
      HiveCounts counts,
      List<io.agenthive.budget.Hold> holds) {
    Map<String, Long> byState = new LinkedHashMap<>();
    for (AgentState s : AgentState.values()) {
      byState.put(s.label(), counts.agents().getOrDefault(s, 0L));
    }
    Map<String, Long> byStatus = new LinkedHashMap<>();
    for (TaskStatus s : TaskStatus.values()) {
      byStatus.put(s.label(), counts.tasks().getOrDefault(s, 0L));
    }
    Map<String, Integer> depth = new LinkedHashMap<>();
    for (Priority p : Priority.values()) {
      depth.put(p.label(), counts.queueDepth().getOrDefault(p, 0));
    }
    long completed = byStatus.get(TaskStatus.COMPLETED.label());
    long failed = byStatus.get(TaskStatus.FAILED.label());
    // over finished tasks only; none finished yet is no rate at all (null), not 0%
    Double successRate = completed + failed == 0 ? null : (double) completed / (completed + failed);
    return new HiveStatus(
        hiveId,
        version,
        uptime.toMillis(),
        byState,
        byStatus,
        depth,
        counts.inFlight(),
        successRate,
        counts.meanProficiency(),
        counts.completionsPerSecondLastMinute(),
        BudgetViews.holds(holds),
        new java.util.TreeMap<>(counts.waiting()),
        counts.datasetJobs());
  }
}
