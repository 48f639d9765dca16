package io.agenthive.routing;

import io.agenthive.task.RequiredCapability;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How a qualified agent is scored for a task: a weighted mean of its proficiencies in the required
 * capabilities ({@code weights} by capability name, {@code defaultWeight} for the others), or
 * {@code noRequirementScore} for a task that requires none. The hive routes with {@link #current()}
 * (every weight 1: the plain mean of {@link RoutingPolicy#fitness}); a proposed policy is one of
 * these read from a file, so {@code ./hive replay-decisions} can ask what it would have chosen.
 * Qualification (each requirement's minimum) is not the policy's to change: it is the task's.
 */
public record ScoringPolicy(
    String name, Map<String, Double> weights, double defaultWeight, double noRequirementScore) {

  public ScoringPolicy {
    weights = Map.copyOf(weights);
  }

  /** The policy the hive routes with today. */
  public static ScoringPolicy current() {
    return new ScoringPolicy(RoutingPolicy.NAME, Map.of(), 1.0, RoutingPolicy.NO_REQUIREMENT_SCORE);
  }

  public double weightOf(String capability) {
    return weights.getOrDefault(capability, defaultWeight);
  }

  /** The agent's score; for {@link #current()} exactly {@link RoutingPolicy#fitness}. */
  public double score(Map<String, Double> proficiencies, List<RequiredCapability> reqs) {
    if (weights.isEmpty()
        && defaultWeight == 1.0
        && noRequirementScore == RoutingPolicy.NO_REQUIREMENT_SCORE) {
      return RoutingPolicy.fitness(proficiencies, reqs);
    }
    if (reqs.isEmpty()) {
      return noRequirementScore;
    }
    double sum = 0;
    double totalWeight = 0;
    for (RequiredCapability rc : reqs) {
      double w = weightOf(rc.name());
      sum += w * proficiencies.getOrDefault(rc.name(), 0.0);
      totalWeight += w;
    }
    return totalWeight == 0 ? 0 : sum / totalWeight;
  }

  /** The score's inputs, e.g. {@code 0.875 = (python 1.00×3 + review 0.50×1) / 4}. */
  public String explain(Map<String, Double> proficiencies, List<RequiredCapability> reqs) {
    double score = score(proficiencies, reqs);
    if (reqs.isEmpty()) {
      return number(score) + " (the task requires no capability)";
    }
    StringBuilder terms = new StringBuilder();
    double totalWeight = 0;
    for (RequiredCapability rc : reqs) {
      double w = weightOf(rc.name());
      totalWeight += w;
      if (!terms.isEmpty()) {
        terms.append(" + ");
      }
      terms
          .append(rc.name())
          .append(' ')
          .append(number(proficiencies.getOrDefault(rc.name(), 0.0)))
          .append('×')
          .append(weight(w));
    }
    return number(score) + " = (" + terms + ") / " + weight(totalWeight);
  }

  private static String number(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }

  private static String weight(double w) {
    return w == Math.rint(w) ? Long.toString((long) w) : String.format(Locale.ROOT, "%.3g", w);
  }
}
