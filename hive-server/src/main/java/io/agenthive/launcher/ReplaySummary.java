package io.agenthive.launcher;

import io.agenthive.agent.Agent;
import io.agenthive.agent.AgentState;
import io.agenthive.agent.Capability;
import io.agenthive.persistence.HiveReplay;
import io.agenthive.task.Task;
import io.agenthive.task.TaskStatus;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code ./hive replay} prints to a person: the hive at the instant in a page (agents with
 * their state, counts and proficiencies to three places, tasks counted by status, the running ones
 * named), where the full state is one JSON document of megabytes that no one reads on a terminal
 * ({@code --json} prints that, indented). "Working" is derived from the runs at the instant, as the
 * API derives it.
 */
final class ReplaySummary {
  static final int LISTED_RUNS = 10;

  private ReplaySummary() {}

  static String of(HiveReplay.HiveState s, String jsonHint) {
    Map<String, List<String>> runs = s.runsByAgent();
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(Locale.ROOT, "The hive as of %s (journal offset %,d)%n", s.at(), s.offset()));
    Map<AgentState, Integer> byState = new EnumMap<>(AgentState.class);
    for (Agent a : s.agents()) {
      byState.merge(state(a, runs), 1, Integer::sum);
    }
    out.append(String.format(Locale.ROOT, "%nAgents: %,d%s%n", s.agents().size(), counts(byState)));
    if (!s.agents().isEmpty()) {
      out.append(
          String.format(
              Locale.ROOT,
              "  %-24s %-12s %6s %6s  %s%n",
              "NAME",
              "STATE",
              "DONE",
              "FAILED",
              "PROFICIENCIES"));
    }
    for (Agent a : s.agents()) {
      out.append(
          String.format(
              Locale.ROOT,
              "  %-24s %-12s %,6d %,6d  %s%n",
              a.name(),
              state(a, runs).label(),
              a.completed(),
              a.failed(),
              proficiencies(a)));
    }
    Map<TaskStatus, Integer> byStatus = new EnumMap<>(TaskStatus.class);
    List<Task> running = new ArrayList<>();
    for (Task t : s.tasks()) {
      byStatus.merge(t.status(), 1, Integer::sum);
      if (t.status() == TaskStatus.RUNNING || t.status() == TaskStatus.ASSIGNED) {
        running.add(t);
      }
    }
    out.append(String.format(Locale.ROOT, "%nTasks: %,d%s%n", s.tasks().size(), counts(byStatus)));
    running.stream()
        .limit(LISTED_RUNS)
        .forEach(
            t ->
                out.append(
                    String.format(
                        Locale.ROOT,
                        "  %s %s \"%s\"%s%n",
                        t.status().label(),
                        t.id(),
                        t.spec().title(),
                        t.assignedAgent() == null ? "" : " on " + name(s, t.assignedAgent()))));
    if (running.size() > LISTED_RUNS) {
      out.append(String.format(Locale.ROOT, "  and %,d more%n", running.size() - LISTED_RUNS));
    }
    out.append(String.format("%nThe full state as JSON: %s%n", jsonHint));
    return out.toString();
  }

  private static AgentState state(Agent a, Map<String, List<String>> runs) {
    return a.state() == AgentState.IDLE && runs.containsKey(a.id())
        ? AgentState.WORKING
        : a.state();
  }

  private static <K extends Enum<K>> String counts(Map<K, Integer> byKey) {
    List<String> parts = new ArrayList<>();
    byKey.forEach(
        (k, n) ->
            parts.add(String.format(Locale.ROOT, "%,d %s", n, k.name().toLowerCase(Locale.ROOT))));
    return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
  }

  private static String proficiencies(Agent a) {
    List<String> parts = new ArrayList<>();
    for (Capability c : a.capabilities()) {
      parts.add(String.format(Locale.ROOT, "%s=%.3f", c.name(), c.proficiency()));
    }
    return String.join(", ", parts);
  }

  private static String name(HiveReplay.HiveState s, String agentId) {
    return s.agents().stream()
        .filter(a -> a.id().equals(agentId))
        .map(Agent::name)
        .findFirst()
        .orElse(agentId);
  }
}
