package io.agenthive.agent;

import java.util.Locale;

/** Lifecycle of an agent as users see it. */
public enum AgentState {
  IDLE,
  WORKING,
  PAUSED,
  FAILED,
  RETIRED,
  /** A remote agent whose worker socket is gone: no new work until the worker reconnects. */
  DISCONNECTED,
  /**
   * Its skill's endpoint fails fast (the circuit is open): no new work while that lasts, then it is
   * tried again (a half-open probe) and is idle once more if the call goes through.
   */
  DEGRADED;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
