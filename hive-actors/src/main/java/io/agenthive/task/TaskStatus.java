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
  BLOCKED,
  /** Journaled, and waiting for its {@code not_before} instant; not queued yet. */
  SCHEDULED,
  /** An approval step waiting for a person's decision; takes no agent slot and no queue place. */
  WAITING_FOR_APPROVAL,
  /** A wait step waiting for a signal or an instant; takes no agent slot and no queue place. */
  WAITING,
  /** Not started before its {@code expires_at}: it never runs. */
  EXPIRED,
  /** An approval step someone rejected (or that timed out with {@code on_timeout: reject}). */
  REJECTED;

  public boolean isTerminal() {
    return this == COMPLETED
        || this == FAILED
        || this == CANCELLED
        || this == EXPIRED
        || this == REJECTED;
  }

  /** Whether the task waits for something other than an agent (a person, a signal, a clock). */
  public boolean isGated() {
    return this == SCHEDULED || this == WAITING_FOR_APPROVAL || this == WAITING;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
