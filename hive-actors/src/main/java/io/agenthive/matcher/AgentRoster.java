package io.agenthive.matcher;

import io.agenthive.agent.Agent;
import io.agenthive.agent.AgentState;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The agents the matcher knows: their profiles, the index of the free ones and the degraded ones,
 * and the agents' part of the matcher's {@link StatusCounters}. A profile joins through {@link
 * #joined} and every later change goes through {@link #update}, which keeps the index, the degraded
 * set and the counts in step with it; that is why they live together, apart from the tasks in
 * {@link Matching}.
 */
final class AgentRoster {
  private final Map<String, AgentProfile> agents = new HashMap<>();
  private final DegradedAgents degraded = new DegradedAgents(agents);
  private final FreeAgents free;
  private final StatusCounters counters;

  AgentRoster(int shownCandidates, StatusCounters counters) {
    this.free = new FreeAgents(shownCandidates);
    this.counters = counters;
  }

  /** The profiles by agent id, for the parts of the matcher that read them. */
  Map<String, AgentProfile> byId() {
    return agents;
  }

  FreeAgents free() {
    return free;
  }

  DegradedAgents degraded() {
    return degraded;
  }

  void joined(Agent agent) {
    if (agents.containsKey(agent.id())) {
      changed(agent);
      return;
    }
    AgentProfile p = new AgentProfile(agent);
    agents.put(agent.id(), p);
    degraded.note(p);
    counters.agentMoved(null, p.effectiveState());
    if (agent.state() != AgentState.RETIRED) {
      counters.proficiencies(p.proficiencies(), 1);
    }
    if (p.free()) {
      free.add(p);
    }
  }

  /** The agent's settled state changed; its stats and proficiencies stay the matcher's. */
  void changed(Agent fromJournal) {
    AgentProfile p = agents.get(fromJournal.id());
    if (p == null) {
      joined(fromJournal);
      return;
    }
    update(
        p, () -> p.replace(p.agent().withState(fromJournal.state(), fromJournal.lastActiveAt())));
  }

  /** The budgets' holds now on agents: a held agent takes nothing new. */
  void hold(Set<String> heldAgents) {
    for (AgentProfile p : agents.values()) {
      if (p.held != heldAgents.contains(p.id())) {
        update(p, () -> p.held = !p.held);
      }
    }
  }

  /** Frees {@code taskId}'s slot on the agent, if it still holds one for it. */
  void freeSlot(String agentId, String taskId) {
    AgentProfile p = agentId == null ? null : agents.get(agentId);
    if (p != null && p.running().contains(taskId)) {
      update(p, () -> p.running().remove(taskId));
    }
  }

  /** Applies a change to an agent, keeping its index entries and the counts right. */
  void update(AgentProfile p, Runnable change) {
    AgentState before = p.effectiveState();
    boolean countedBefore = p.agent().state() != AgentState.RETIRED;
    if (countedBefore) {
      counters.proficiencies(p.proficiencies(), -1);
    }
    free.remove(p);
    change.run();
    if (p.agent().state() != AgentState.RETIRED) {
      counters.proficiencies(p.proficiencies(), 1);
    }
    if (p.free()) {
      free.add(p);
    }
    degraded.note(p);
    counters.agentMoved(before, p.effectiveState());
  }
}
