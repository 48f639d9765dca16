package io.agenthive.access;

import java.util.Locale;
import java.util.Optional;

/**
 * What a principal may do. {@code viewer} reads; {@code operator} also submits, cancels and retries
 * tasks and pauses and resumes agents; {@code admin} also registers and retires agents, manages
 * keys and users, exports and travels in time. {@code worker} may only connect a remote worker: it
 * is no rank above or below the others.
 */
public enum Role {
  VIEWER(1),
  OPERATOR(2),
  ADMIN(3),
  WORKER(0);

  private final int rank;

  Role(int rank) {
    this.rank = rank;
  }

  /** Whether this role may do what {@code needed} may (a worker only what a worker may). */
  public boolean covers(Role needed) {
    if (this == WORKER || needed == WORKER) {
      return this == needed;
    }
    return rank >= needed.rank;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Role> parse(String text) {
    for (Role r : values()) {
      if (r.label().equals(text)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
