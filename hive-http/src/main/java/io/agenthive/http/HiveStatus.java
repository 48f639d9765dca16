package io.agenthive.http;

import io.agenthive.agent.AgentState;
import io.agenthive.agent.AgentView;
import io.agenthive.agent.Capability;
import io.agenthive.board.TaskBoard;
import io.agenthive.task.Priority;
import io.agenthive.task.TaskStatus;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/hive/status}, computed from live state: agents (from their actors), task counts
 * and completion rate (from the task read model), queue depth (from the board). Success rate = completed / (completed + failed);
 * average performance = mean proficiency over every capability of every non-retired agent;
 * throughput = tasks completed in the last minute / 60.
 */
record HiveStatus(String hiveId, String version, long uptimeMs, Map<String, Long> agents,
    Map<String, Long> tasks, Map<String, Integer> queueDepth, int inFlight, double successRate,
    double averagePerformance, double tasksPerSecondLastMinute) {

  static HiveStatus of(String hiveId, String version, Duration uptime, List<AgentView> agents,
      Map<TaskStatus, Long> taskCounts, double tasksPerSecond, TaskBoard.QueueView queue) {
    Map<String, Long> byState = new LinkedHashMap<>();
    for (AgentState s : AgentState.values()) {
      byState.put(s.label(), agents.stream().filter(a -> a.state() == s).count());
    }
    Map<String, Long> byStatus = new LinkedHashMap<>();
    for (TaskStatus s : TaskStatus.values()) {
      byStatus.put(s.label(), taskCounts.getOrDefault(s, 0L));
    }
    Map<String, Integer> depth = new LinkedHashMap<>();
    for (Priority p : Priority.values()) {
      depth.put(p.label(), queue.pendingByPriority().getOrDefault(p, 0));
    }
    long completed = byStatus.get(TaskStatus.COMPLETED.label());
    long failed = byStatus.get(TaskStatus.FAILED.label());
    double successRate = completed + failed == 0 ? 0.0 : (double) completed / (completed + failed);
    double performance = agents.stream()
        .filter(a -> a.state() != AgentState.RETIRED)
        .flatMap(a -> a.capabilities().stream())
        .mapToDouble(Capability::proficiency)
        .average().orElse(0.0);
    return new HiveStatus(hiveId, version, uptime.toMillis(), byState, byStatus, depth,
        queue.inFlight(), successRate, performance, tasksPerSecond);
  }
}
