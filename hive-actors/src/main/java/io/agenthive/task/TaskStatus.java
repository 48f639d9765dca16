package io.agenthive.task;

import java.util.Locale;

/** Lifecycle of a task as users see it. */
public enum TaskStatus {
  PENDING,
  ASSIGNED,
  RUNNING,
  COMPLETED,
  FAILED,
  CANCELLED,
  /** Waiting for the tasks it depends on; not queued yet. */
  BLOCKED;

  public boolean isTerminal() {
    return this == COMPLETED || this == FAILED || this == CANCELLED;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
