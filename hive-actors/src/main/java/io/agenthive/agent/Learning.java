package io.agenthive.agent;

import io.agenthive.task.LearningChange;
import io.agenthive.task.RequiredCapability;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How an agent learns from an outcome (the seed hub's rule): for each required capability the agent
 * has, proficiency rises by {@code learning_rate × 0.1} on success and falls by {@code
 * learning_rate × 0.05} on failure, clamped to [0, 1]. What an attempt taught is journaled with the
 * task's outcome as {@link LearningChange}s and replayed with {@link #apply}.
 */
public final class Learning {
  static final double SUCCESS_STEP = 0.1;
  static final double FAILURE_STEP = 0.05;

  private Learning() {}

  public static double next(double proficiency, double learningRate, boolean success) {
    double delta = success ? learningRate * SUCCESS_STEP : -learningRate * FAILURE_STEP;
    return clamp(proficiency + delta);
  }

  /** A journaled change applied to the proficiency the agent has now. */
  public static double apply(double proficiency, LearningChange change) {
    return clamp(proficiency + change.delta());
  }

  private static double clamp(double p) {
    return Math.max(0.0, Math.min(1.0, p));
  }

  /**
   * The changes an outcome makes, from the agent's proficiencies as they stood (a capability
   * missing from {@code current} keeps its registered value); capabilities already at a bound
   * produce no change.
   */
  public static List<LearningChange> changes(
      List<Capability> capabilities,
      Map<String, Double> current,
      List<RequiredCapability> required,
      boolean success) {
    Set<String> needed = new HashSet<>();
    required.forEach(r -> needed.add(r.name()));
    List<LearningChange> out = new ArrayList<>();
    for (Capability c : capabilities) {
      if (needed.contains(c.name())) {
        double from = current.getOrDefault(c.name(), c.proficiency());
        double to = next(from, c.learningRate(), success);
        if (to != from) {
          out.add(new LearningChange(c.name(), from, to));
        }
      }
    }
    return out;
  }
}
