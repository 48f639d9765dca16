package io.agenthive.matcher;

import io.agenthive.agent.Agent;
import io.agenthive.agent.AgentState;
import io.agenthive.agent.AgentView;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The matcher's view of one agent: its record (registration, settled state, stats and learned
 * proficiencies, kept current from the task outcomes), the tasks handed to it and not yet given
 * back, when it last took one, and the index keys it is filed under while it has a free slot.
 */
final class AgentProfile {
  private Agent agent;
  private Map<String, Double> proficiencies;
  private final Set<String> running = new LinkedHashSet<>();
  private long lastBusyAt;
  // the keys this agent is filed under in the free index; empty when it is not filed
  final List<FreeAgents.Key> keys = new ArrayList<>(2);

  AgentProfile(Agent agent) {
    this.lastBusyAt = Long.MIN_VALUE;
    replace(agent);
  }

  String id() {
    return agent.id();
  }

  Agent agent() {
    return agent;
  }

  void replace(Agent next) {
    this.agent = next;
    this.proficiencies = next.proficiencies();
  }

  Map<String, Double> proficiencies() {
    return proficiencies;
  }

  Set<String> running() {
    return running;
  }

  long lastBusyAt() {
    return lastBusyAt;
  }

  void tookTask(String taskId, long atMillis) {
    running.add(taskId);
    lastBusyAt = atMillis;
  }

  /** Registered, idle (not paused, failed, retired or disconnected) and with a free slot. */
  /** True while a budget on this agent holds it back: it takes nothing new. */
  boolean held;

  boolean free() {
    return !held
        && agent.registered()
        && agent.state() == AgentState.IDLE
        && running.size() < agent.maxConcurrency();
  }

  /** The state users see: {@code working} while it runs anything. */
  AgentState effectiveState() {
    return !running.isEmpty() && agent.state() == AgentState.IDLE
        ? AgentState.WORKING
        : agent.state();
  }

  AgentView view() {
    return AgentView.of(agent, List.copyOf(running));
  }
}
