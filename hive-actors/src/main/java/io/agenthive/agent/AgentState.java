package io.agenthive.agent;

/** Lifecycle of an agent as users see it. */
public enum AgentState {
  IDLE,
  WORKING,
  PAUSED,
  FAILED,
  RETIRED,
  /** A remote agent whose worker socket is gone: no new work until the worker reconnects. */
  DISCONNECTED;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
