package io.agenthive.board;

import akka.actor.typed.ActorRef;
import io.agenthive.agent.AgentActor;
import io.agenthive.agent.AgentState;
import io.agenthive.routing.RoutingPolicy.IdleAgent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The board's soft view of the agents: who exists, whether idle, how proficient. Not journaled:
 * rebuilt from the agents' own reports whenever the board (re)starts.
 */
final class AgentRoster {
  record Slot(String agentId, ActorRef<AgentActor.Command> ref, AgentState state,
      Map<String, Double> proficiencies, Instant lastBusyAt) {}

  private final Map<String, Slot> byId = new HashMap<>();
  private final Map<ActorRef<AgentActor.Command>, String> idByRef = new HashMap<>();

  void update(AgentStatus s) {
    Instant lastBusy = s.lastBusyAt() == null ? Instant.EPOCH : s.lastBusyAt();
    byId.put(s.agentId(), new Slot(s.agentId(), s.agent(), s.state(), s.proficiencies(), lastBusy));
    idByRef.put(s.agent(), s.agentId());
  }

  boolean knows(ActorRef<AgentActor.Command> ref) {
    return idByRef.containsKey(ref);
  }

  Optional<Slot> find(String agentId) {
    return Optional.ofNullable(byId.get(agentId));
  }

  void markBusy(String agentId, Instant at) {
    byId.computeIfPresent(agentId, (id, s) ->
        new Slot(id, s.ref(), AgentState.WORKING, s.proficiencies(), at));
  }

  /** Forgets agents whose actors left the receptionist (stopped for good); returns them. */
  List<Slot> removeAbsent(Set<ActorRef<AgentActor.Command>> present) {
    List<Slot> gone = new ArrayList<>();
    for (var it = idByRef.entrySet().iterator(); it.hasNext(); ) {
      var entry = it.next();
      if (!present.contains(entry.getKey())) {
        it.remove();
        Slot slot = byId.remove(entry.getValue());
        if (slot != null) {
          gone.add(slot);
        }
      }
    }
    return gone;
  }

  List<IdleAgent> idleAgents() {
    List<IdleAgent> idle = new ArrayList<>();
    for (Slot s : byId.values()) {
      if (s.state() == AgentState.IDLE) {
        idle.add(new IdleAgent(s.agentId(), s.proficiencies(), s.lastBusyAt()));
      }
    }
    return idle;
  }

  int idleCount() {
    return (int) byId.values().stream().filter(s -> s.state() == AgentState.IDLE).count();
  }

  int size() {
    return byId.size();
  }
}
