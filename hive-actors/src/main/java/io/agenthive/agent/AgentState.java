package io.agenthive.agent;

/** Lifecycle of an agent as users see it. */
public enum AgentState {
  IDLE,
  WORKING,
  PAUSED,
  FAILED,
  RETIRED,
  /** A remote worker's agent whose socket is gone past the grace period; gets no work. */
  DISCONNECTED;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
