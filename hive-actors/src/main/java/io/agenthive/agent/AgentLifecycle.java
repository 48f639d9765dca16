package io.agenthive.agent;

import java.time.Instant;

/**
 * Which state change an operator's pause, resume or retire makes, as a plain function. Pausing or
 * retiring a working agent takes effect for new work at once; its run in progress finishes (or, for
 * retire without drain, is handed back to the board by the actor).
 */
public final class AgentLifecycle {
  private AgentLifecycle() {}

  public enum Transition {
    PAUSE,
    RESUME,
    RETIRE,
    /**
     * A remote agent's worker socket is gone (only an idle or working agent changes; a run in
     * progress waits for the worker to come back within the grace period).
     */
    DISCONNECT,
    /** A remote agent's worker is back. */
    RECONNECT,
    /** Its skill's circuit opened: calls to its endpoint fail fast (only an idle agent changes). */
    DEGRADE,
    /** The circuit's wait is over: try the endpoint again (only a degraded agent changes). */
    RECOVER
  }

  /** The event to journal (null when already there), or a reason the change is refused. */
  record Decision(AgentEvent.AgentStateChanged event, String refusal) {}

  static Decision decide(Agent agent, Transition transition, Instant now, String by) {
    AgentState from = agent.state();
    if (transition == Transition.DISCONNECT && from != AgentState.IDLE
        || transition == Transition.RECONNECT && from != AgentState.DISCONNECTED
        || transition == Transition.DEGRADE && from != AgentState.IDLE
        || transition == Transition.RECOVER && from != AgentState.DEGRADED) {
      return new Decision(null, null); // paused, failed or retired agents keep that state
    }
    if (transition == Transition.RESUME && from == AgentState.DISCONNECTED) {
      return new Decision(
          null, "agent " + agent.id() + " is disconnected: its worker must" + " reconnect");
    }
    AgentState to =
        switch (transition) {
          case PAUSE -> AgentState.PAUSED;
          case RESUME, RECONNECT, RECOVER -> AgentState.IDLE;
          case DEGRADE -> AgentState.DEGRADED;
          case RETIRE -> AgentState.RETIRED;
          case DISCONNECT -> AgentState.DISCONNECTED;
        };
    if (from == to) {
      return new Decision(null, null);
    }
    if (from == AgentState.RETIRED) {
      return new Decision(null, "agent " + agent.id() + " is retired");
    }
    if (transition == Transition.PAUSE && from == AgentState.FAILED) {
      return new Decision(null, "agent " + agent.id() + " has failed; resume it instead");
    }
    String reason =
        switch (transition) {
          case PAUSE -> "paused by request";
          case RESUME ->
              from == AgentState.FAILED ? "resumed after failure by request" : "resumed by request";
          case RETIRE -> "retired by request";
          case DISCONNECT -> "worker disconnected";
          case RECONNECT -> "worker reconnected";
          case DEGRADE -> "its skill's endpoint fails fast (circuit open): no new work for now";
          case RECOVER -> "trying its skill's endpoint again (circuit half-open)";
        };
    return new Decision(new AgentEvent.AgentStateChanged(from, to, reason, now, by), null);
  }
}
