package io.agenthive.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One row of the results table: a figure from several runs (min / median / max) and, where the
 * scenario has one, the ceiling it is compared with, measured in the same run on the same machine.
 * {@code ratio} is figure ÷ ceiling on the medians; bench/README.md says for each row which
 * direction is better.
 */
record Figure(
    String scenario,
    String name,
    List<Double> runs,
    String unit,
    String ceilingName,
    List<Double> ceilingRuns) {

  static Figure of(String scenario, String name, List<Double> runs, String unit) {
    return new Figure(scenario, name, runs, unit, null, List.of());
  }

  Figure against(String ceiling, List<Double> ceilingRuns) {
    return new Figure(scenario, name, runs, unit, ceiling, ceilingRuns);
  }

  double min() {
    return Collections.min(runs);
  }

  double max() {
    return Collections.max(runs);
  }

  double median() {
    return median(runs);
  }

  boolean hasCeiling() {
    return ceilingName != null && !ceilingRuns.isEmpty();
  }

  double ratio() {
    return median() / median(ceilingRuns);
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** The given percentile (0..100) of samples, nearest rank. */
  static double percentile(List<Double> samples, double p) {
    List<Double> sorted = new ArrayList<>(samples);
    Collections.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }
}
