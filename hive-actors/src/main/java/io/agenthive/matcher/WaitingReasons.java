package io.agenthive.matcher;

import io.agenthive.agent.Agent;
import io.agenthive.agent.AgentState;
import io.agenthive.task.RequiredCapability;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Why a pending task waits, in one word: {@code not_before} (a retry time), {@code
 * budget_exhausted} (a budget holds it), {@code no_agent_qualifies} (no registered, non-retired
 * agent has its capabilities: it can never run until one is added), {@code agents_degraded} (those
 * that do fail fast), {@code agents_paused} (those that do are paused, failed or disconnected) or
 * {@code all_busy}. Work that can never run then no longer looks like work that waits its turn.
 */
final class WaitingReasons {
  static final List<String> ALL =
      List.of(
          "not_before",
          "budget_exhausted",
          "no_agent_qualifies",
          "agents_degraded",
          "agents_paused",
          "all_busy");

  private final Collection<AgentProfile> agents;
  private final Map<List<RequiredCapability>, String> byRequirements = new HashMap<>();

  WaitingReasons(Collection<AgentProfile> agents) {
    this.agents = agents;
  }

  /** Waiting tasks by reason, every reason present. */
  static Map<String, Integer> count(PendingTasks pending, Collection<AgentProfile> agents) {
    WaitingReasons reasons = new WaitingReasons(agents);
    Map<String, Integer> counts = new TreeMap<>();
    ALL.forEach(r -> counts.put(r, 0));
    for (PendingTasks.Entry e : pending.entries()) {
      counts.merge(reasons.of(e, pending.placeOf(e)), 1, Integer::sum);
    }
    return counts;
  }

  String of(PendingTasks.Entry e, PendingTasks.Place place) {
    return switch (place) {
      case DELAYED -> "not_before";
      case PARKED -> "budget_exhausted";
      case READY -> byRequirements.computeIfAbsent(e.requirements, this::forRequirements);
    };
  }

  private String forRequirements(List<RequiredCapability> requirements) {
    boolean held = false;
    boolean degraded = false;
    boolean stopped = false;
    for (AgentProfile p : agents) {
      Agent a = p.agent();
      if (!a.registered() || a.state() == AgentState.RETIRED || !qualifies(a, requirements)) {
        continue;
      }
      switch (a.state()) {
        case IDLE, WORKING -> {
          if (!p.held) {
            return "all_busy"; // it will take the task when a slot frees
          }
          held = true;
        }
        case DEGRADED -> degraded = true;
        default -> stopped = true;
      }
    }
    return held
        ? "budget_exhausted"
        : degraded ? "agents_degraded" : stopped ? "agents_paused" : "no_agent_qualifies";
  }

  static boolean qualifies(Agent a, List<RequiredCapability> requirements) {
    Map<String, Double> proficiencies = a.proficiencies();
    for (RequiredCapability rc : requirements) {
      Double p = proficiencies.get(rc.name());
      if (p == null || p < rc.minimumProficiency()) {
        return false;
      }
    }
    return true;
  }
}
