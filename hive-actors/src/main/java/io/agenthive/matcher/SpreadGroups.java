package io.agenthive.matcher;

import io.agenthive.task.AssignmentReason;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which agents took a task of each spread group ({@link io.agenthive.task.SpreadGroup}: a consensus
 * step's voters), so a sibling prefers another agent. Memory only and bounded: a restarted matcher,
 * or a group pushed out by many newer ones, forgets, and its remaining voters go to any agent.
 */
final class SpreadGroups {
  static final String SIBLING = "took another voter of the same consensus step";
  private static final int MAX_GROUPS = 10_000;

  private final Map<String, Set<String>> agentsByGroup =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Set<String>> eldest) {
          return size() > MAX_GROUPS;
        }
      };

  /** The agents this task should pass by, and why: its failed attempts' and its siblings'. */
  Map<String, String> avoidFor(PendingTasks.Entry task) {
    Map<String, String> out = new LinkedHashMap<>();
    if (task.failedOn != null) {
      task.failedOn.forEach(id -> out.put(id, AssignmentReason.FAILED_BEFORE));
    }
    for (String id : agentsByGroup.getOrDefault(task.spreadGroup, Set.of())) {
      out.putIfAbsent(id, SIBLING);
    }
    return out;
  }

  void assigned(PendingTasks.Entry task, String agentId) {
    if (task.spreadGroup != null) {
      agentsByGroup.computeIfAbsent(task.spreadGroup, g -> new LinkedHashSet<>()).add(agentId);
    }
  }
}
