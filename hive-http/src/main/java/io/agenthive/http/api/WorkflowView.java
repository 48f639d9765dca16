package io.agenthive.http.api;

import io.agenthive.task.Task;
import io.agenthive.workflow.Workflow;
import io.agenthive.workflow.WorkflowGraph;
import io.agenthive.workflow.WorkflowNode;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A workflow as {@code GET /api/workflows/{id}} shows it: its steps with their tasks' statuses, how
 * many are in each status, and the critical path (the chain of dependent steps whose run times add
 * up to the most, so far).
 */
record WorkflowView(
    String id,
    String name,
    String status,
    Instant createdAt,
    String createdBy,
    Instant endedAt,
    Map<String, Integer> counts,
    List<Step> tasks,
    CriticalPathJson criticalPath) {

  record Step(
      String name,
      String taskId,
      String status,
      List<String> dependsOn,
      int attempts,
      Instant startedAt,
      Instant completedAt,
      long runMs,
      String error) {}

  record CriticalPathJson(List<String> tasks, long runMs) {}

  /** {@code tasks}: what is known of the steps' tasks, by id (a missing one is "submitting"). */
  static WorkflowView of(Workflow w, Map<String, Task> tasks, Instant now) {
    Map<String, String> names = new HashMap<>();
    w.nodes().forEach(n -> names.put(n.taskId(), n.name()));
    Map<String, Integer> counts = new TreeMap<>();
    List<Step> steps =
        w.nodes().stream()
            .map(
                n -> {
                  Task t = tasks.get(n.taskId());
                  String status = t == null ? "submitting" : t.status().label();
                  counts.merge(status, 1, Integer::sum);
                  return step(n, t, status, names, now);
                })
            .toList();
    var path =
        WorkflowGraph.criticalPath(
            w.nodes(),
            id -> {
              Task t = tasks.get(id);
              return t == null ? 0 : t.runMillis(now);
            });
    return new WorkflowView(
        w.id(),
        w.name(),
        w.status(),
        w.createdAt(),
        w.by(),
        w.endedAt(),
        counts,
        steps,
        new CriticalPathJson(path.steps(), path.millis()));
  }

  private static Step step(
      WorkflowNode n, Task t, String status, Map<String, String> names, Instant now) {
    List<String> deps = n.dependsOn().stream().map(d -> names.getOrDefault(d, d)).toList();
    String error = t != null && t.result() != null ? t.result().error() : null;
    return new Step(
        n.name(),
        n.taskId(),
        status,
        deps,
        t == null ? 0 : t.attempts(),
        t == null ? null : t.startedAt(),
        t == null ? null : t.completedAt(),
        t == null ? 0 : t.runMillis(now),
        error);
  }
}
