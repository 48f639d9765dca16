package io.agenthive.task;

import java.util.Locale;
import java.util.Optional;

/** Task priority; the board serves higher ranks first. */
public enum Priority {
  LOW,
  MEDIUM,
  HIGH,
  CRITICAL;

  public int rank() {
    return ordinal();
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Priority> parse(String text) {
    for (Priority p : values()) {
      if (p.label().equals(text)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
