package io.agenthive.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps a label's values bounded when they come from users (task types, model names): the first
 * {@code max} distinct values keep their own series, later ones share {@code other}. A scrape then
 * never grows with what clients send.
 */
final class BoundedLabel {
  static final String OTHER = "other";
  static final String NONE = "none";
  private final int max;
  private final Set<String> kept = ConcurrentHashMap.newKeySet();

  BoundedLabel(int max) {
    this.max = max;
  }

  String of(String value) {
    if (value == null || value.isEmpty()) {
      return NONE;
    }
    if (kept.contains(value)) {
      return value;
    }
    // a race may let a few more than max in; the bound matters, not its exact value
    if (kept.size() < max && value.length() <= 64) {
      kept.add(value);
      return value;
    }
    return OTHER;
  }
}
