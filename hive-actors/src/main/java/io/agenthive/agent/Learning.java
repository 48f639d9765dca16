package io.agenthive.agent;

import io.agenthive.task.RequiredCapability;
import java.util.ArrayList;
import java.util.List;
import java.util.HashSet;
import java.util.Set;

/**
 * How an agent learns from an outcome (the seed hub's rule): for each required capability the
 * agent has, proficiency rises by {@code learning_rate × 0.1} on success and falls by {@code
 * learning_rate × 0.05} on failure, clamped to [0, 1].
 */
public final class Learning {
  static final double SUCCESS_STEP = 0.1;
  static final double FAILURE_STEP = 0.05;

  private Learning() {}

  public record Change(String capability, double from, double to) {}

  public static double next(double proficiency, double learningRate, boolean success) {
    double delta = success ? learningRate * SUCCESS_STEP : -learningRate * FAILURE_STEP;
    return Math.max(0.0, Math.min(1.0, proficiency + delta));
  }

  /** The changes an outcome makes; capabilities already at a bound produce no change. */
  public static List<Change> changes(
      List<Capability> capabilities, List<RequiredCapability> required, boolean success) {
    Set<String> needed = new HashSet<>();
    required.forEach(r -> needed.add(r.name()));
    List<Change> out = new ArrayList<>();
    for (Capability c : capabilities) {
      if (needed.contains(c.name())) {
        double to = next(c.proficiency(), c.learningRate(), success);
        if (to != c.proficiency()) {
          out.add(new Change(c.name(), c.proficiency(), to));
        }
      }
    }
    return out;
  }
}
