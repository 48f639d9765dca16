package io.agenthive.agent;

/** Lifecycle of an agent as users see it. */
public enum AgentState {
  IDLE,
  WORKING,
  PAUSED,
  FAILED,
  RETIRED;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
