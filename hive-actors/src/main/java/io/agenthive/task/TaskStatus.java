package io.agenthive.task;

import java.util.Locale;

/** Lifecycle of a task as users see it. */
public enum TaskStatus {
  PENDING,
  ASSIGNED,
  RUNNING,
  COMPLETED,
  FAILED,
  CANCELLED;

  public boolean isTerminal() {
    return this == COMPLETED || this == FAILED || this == CANCELLED;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
