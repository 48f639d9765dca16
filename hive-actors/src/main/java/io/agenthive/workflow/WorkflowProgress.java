package io.agenthive.workflow;

import io.agenthive.task.DependencyOutput;
import io.agenthive.task.Task;
import io.agenthive.task.TaskStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a workflow knows in memory about its steps: which tasks accepted their submission, which
 * watched tasks have ended, and which blocked steps took their release. None of it is journaled:
 * the tasks are the record, so a restarted workflow learns it all again by asking them.
 */
final class WorkflowProgress {
  /**
   * JSON characters of dependency outputs one release passes inline: they travel in one message
   * between nodes and in one event, both far below their limits with this.
   */
  static final long PASSED_OUTPUTS_BUDGET = 1_000_000;

  /** A blocked step whose dependencies all ended: release it with these outputs, or fail it. */
  record Decision(WorkflowNode node, List<DependencyOutput> outputs, DependencyOutput failed) {}

  private final Map<String, WorkflowNode> nodes = new LinkedHashMap<>();
  private final Map<String, String> names = new HashMap<>();
  private final Set<String> watched = new LinkedHashSet<>();
  private final Set<String> accepted = new HashSet<>();
  private final Map<String, Task> ended = new HashMap<>();
  private final Set<String> settled = new HashSet<>();
  private final Set<String> settling = new HashSet<>();

  WorkflowProgress(List<WorkflowNode> steps) {
    for (WorkflowNode n : steps) {
      nodes.put(n.taskId(), n);
      names.put(n.taskId(), n.name());
      watched.add(n.taskId());
      watched.addAll(n.dependsOn());
    }
  }

  List<WorkflowNode> unsubmitted() {
    return nodes.values().stream().filter(n -> !accepted.contains(n.taskId())).toList();
  }

  /** Tasks to watch: every step and outside dependency that has not ended. */
  List<String> unended() {
    return watched.stream().filter(id -> !ended.containsKey(id)).toList();
  }

  /** This workflow's own steps that have not ended. */
  List<String> unendedSteps() {
    return nodes.keySet().stream().filter(id -> !ended.containsKey(id)).toList();
  }

  void accepted(String taskId) {
    accepted.add(taskId);
  }

  /** True the first time this task's end is heard of. */
  boolean ended(Task task) {
    return watched.contains(task.id()) && ended.putIfAbsent(task.id(), task) == null;
  }

  void settled(String taskId, boolean ok) {
    settling.remove(taskId);
    if (ok) {
      settled.add(taskId);
    }
  }

  /** Blocked steps whose dependencies have all ended, each marked as being settled now. */
  List<Decision> ready() {
    List<Decision> out = new ArrayList<>();
    for (WorkflowNode n : nodes.values()) {
      String id = n.taskId();
      if (n.dependsOn().isEmpty()
          || !accepted.contains(id)
          || ended.containsKey(id)
          || settled.contains(id)
          || settling.contains(id)
          || !n.dependsOn().stream().allMatch(ended::containsKey)) {
        continue;
      }
      List<DependencyOutput> outputs = new ArrayList<>();
      DependencyOutput failed = null;
      for (String d : n.dependsOn()) {
        Task t = ended.get(d);
        DependencyOutput o =
            new DependencyOutput(
                d,
                names.getOrDefault(d, d),
                t.status(),
                // a rejection's output is its decision: who rejected it, and why
                (t.status() == TaskStatus.COMPLETED || t.status() == TaskStatus.REJECTED)
                        && t.result() != null
                    ? t.result().outputOrReference(d)
                    : null,
                t.spec() == null ? null : t.spec().subject());
        outputs.add(o);
        if (failed == null && t.status() != TaskStatus.COMPLETED) {
          failed = o;
        }
      }
      boolean run = n.spec().dependencies() != null && n.spec().dependencies().runOnFailure();
      settling.add(id);
      out.add(
          new Decision(
              n, DependencyOutput.within(outputs, PASSED_OUTPUTS_BUDGET), run ? null : failed));
    }
    return out;
  }

  /** The agent an ended task last ran on; null when it has not ended or never ran. */
  String agentOf(String taskId) {
    Task t = ended.get(taskId);
    return t == null ? null : t.assignedAgent();
  }

  boolean allEnded() {
    return nodes.keySet().stream().allMatch(ended::containsKey);
  }

  /** How the workflow ended, once every step has. */
  String outcome(boolean cancelled) {
    if (cancelled) {
      return "cancelled";
    }
    boolean allDone =
        nodes.keySet().stream().allMatch(id -> ended.get(id).status() == TaskStatus.COMPLETED);
    return allDone ? "completed" : "failed";
  }
}
