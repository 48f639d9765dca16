package io.agenthive.matcher;

import io.agenthive.agent.AgentState;
import io.agenthive.task.AssignmentReason;
import io.agenthive.task.RequiredCapability;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The agents the router passes by because they are degraded (their endpoint fails fast), kept apart
 * so that an assignment can say which ones it passed by without a look at every agent. Works on
 * {@link AgentRoster}'s agents, which it hands in.
 */
final class DegradedAgents {
  private final Map<String, AgentProfile> agents;
  private final Set<String> ids = new LinkedHashSet<>();

  DegradedAgents(Map<String, AgentProfile> agents) {
    this.agents = agents;
  }

  /** Called after every change to an agent: keeps the set in step with its state. */
  void note(AgentProfile p) {
    if (p.agent().state() == AgentState.DEGRADED) {
      ids.add(p.id());
    } else {
      ids.remove(p.id());
    }
  }

  /**
   * The degraded agents that would have qualified for these requirements (at most {@link
   * AssignmentReason#MAX_SKIPPED}): an explanation names them, since the router passed them by.
   */
  List<AssignmentReason.Skipped> skippedFor(List<RequiredCapability> reqs) {
    if (ids.isEmpty()) {
      return List.of();
    }
    List<AssignmentReason.Skipped> skipped = new ArrayList<>();
    for (String id : ids) {
      AgentProfile p = agents.get(id);
      if (p != null && WaitingReasons.qualifies(p.agent(), reqs)) {
        skipped.add(new AssignmentReason.Skipped(id, "degraded"));
        if (skipped.size() == AssignmentReason.MAX_SKIPPED) {
          break;
        }
      }
    }
    return skipped;
  }
}
