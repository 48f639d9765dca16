package io.agenthive.workflow;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * The graph of a workflow's steps: which dependencies name no step (they must be existing tasks),
 * whether the steps form a cycle (and which), their order, and the critical path (the chain of
 * steps whose run times add up to the most: what to speed up to finish sooner).
 */
public final class WorkflowGraph {
  private WorkflowGraph() {}

  /** Dependencies that name no step of the workflow: ids of tasks that must exist already. */
  public static Set<String> externals(List<WorkflowSpec.Step> steps) {
    Set<String> names = new LinkedHashSet<>();
    steps.forEach(s -> names.add(s.name()));
    Set<String> out = new LinkedHashSet<>();
    for (WorkflowSpec.Step s : steps) {
      for (String d : s.dependsOn()) {
        if (!names.contains(d)) {
          out.add(d);
        }
      }
    }
    return out;
  }

  /** The steps of one cycle in dependency order, first repeated last; empty when acyclic. */
  public static List<String> cycle(List<WorkflowSpec.Step> steps) {
    Map<String, List<String>> deps = new LinkedHashMap<>();
    steps.forEach(s -> deps.put(s.name(), s.dependsOn()));
    List<String> order = order(deps);
    if (order.size() == deps.size()) {
      return List.of();
    }
    // what Kahn's algorithm could not order is in a cycle or waits for one: walk dependencies
    // among those until a step comes round again
    Set<String> left = new LinkedHashSet<>(deps.keySet());
    left.removeAll(order);
    String at = left.iterator().next();
    List<String> path = new ArrayList<>();
    Map<String, Integer> seenAt = new HashMap<>();
    while (!seenAt.containsKey(at)) {
      seenAt.put(at, path.size());
      path.add(at);
      at = deps.get(at).stream().filter(left::contains).findFirst().orElseThrow();
    }
    List<String> loop = new ArrayList<>(path.subList(seenAt.get(at), path.size()));
    Collections.reverse(loop); // as edges run: each step before the one that depends on it
    // from the step listed first, so the same cycle is always named the same way
    List<String> declared = new ArrayList<>(deps.keySet());
    String first = loop.stream().min(Comparator.comparingInt(declared::indexOf)).orElseThrow();
    Collections.rotate(loop, -loop.indexOf(first));
    loop.add(loop.get(0));
    return loop;
  }

  /**
   * Steps in an order where each comes after what it depends on (Kahn's algorithm); steps in or
   * behind a cycle are left out. Dependencies on names not in {@code deps} are ignored.
   */
  static List<String> order(Map<String, List<String>> deps) {
    Map<String, Integer> waiting = new HashMap<>();
    Map<String, List<String>> dependents = new HashMap<>();
    deps.forEach(
        (name, on) -> {
          int n = 0;
          for (String d : on) {
            if (deps.containsKey(d)) {
              n++;
              dependents.computeIfAbsent(d, k -> new ArrayList<>()).add(name);
            }
          }
          waiting.put(name, n);
        });
    Deque<String> ready = new ArrayDeque<>();
    deps.keySet().stream().filter(n -> waiting.get(n) == 0).forEach(ready::add);
    List<String> out = new ArrayList<>();
    while (!ready.isEmpty()) {
      String n = ready.poll();
      out.add(n);
      for (String d : dependents.getOrDefault(n, List.of())) {
        if (waiting.merge(d, -1, Integer::sum) == 0) {
          ready.add(d);
        }
      }
    }
    return out;
  }

  /** The critical path: names in order, and the sum of their run times. */
  public record CriticalPath(List<String> steps, long millis) {}

  /** Over the workflow's nodes, with each task's run time so far from {@code runMillis}. */
  public static CriticalPath criticalPath(
      List<WorkflowNode> nodes, ToLongFunction<String> runMillis) {
    Map<String, WorkflowNode> byId = new LinkedHashMap<>();
    Map<String, List<String>> deps = new LinkedHashMap<>();
    for (WorkflowNode n : nodes) {
      byId.put(n.taskId(), n);
      deps.put(n.taskId(), n.dependsOn());
    }
    Map<String, Long> finish = new HashMap<>();
    Map<String, String> via = new HashMap<>();
    String last = null;
    for (String id : order(deps)) {
      long start = -1; // so a dependency that has not run yet still leads the path
      for (String d : deps.get(id)) {
        Long f = finish.get(d);
        if (f != null && f > start) {
          start = f;
          via.put(id, d);
        }
      }
      long end = Math.max(start, 0) + runMillis.applyAsLong(id);
      finish.put(id, end);
      if (last == null || end >= finish.get(last)) { // on a tie the later, deeper step
        last = id;
      }
    }
    List<String> path = new ArrayList<>();
    for (String at = last; at != null; at = via.get(at)) {
      path.add(byId.get(at).name());
    }
    Collections.reverse(path);
    return new CriticalPath(path, last == null ? 0 : finish.get(last));
  }
}
