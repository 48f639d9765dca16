package io.agenthive.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code ./hive bench gate}: a performance regression gate for CI. It measures the figures whose
 * ratio to a same-run ceiling says whether the hub got slower (never absolute times: the CI
 * machine differs from the one that set the floors), and fails when a ratio drops below its floor
 * in {@code bench/gate.properties}. Each floor is a fraction of the ratio recorded when it was
 * set, wide enough that noise on 2 cores does not trip it and narrow enough that a change which
 * halves a figure does.
 */
final class PerformanceGate {
  static final List<String> SCENARIOS = List.of("core", "http");

  private PerformanceGate() {}

  /** 0 when every gated ratio is at or above its floor; 1 otherwise, each miss named. */
  static int check(List<Figure> figures, Path floorsFile, double seconds) throws IOException {
    Map<String, Double> floors = floors(floorsFile);
    List<String> misses = new ArrayList<>();
    System.err.println();
    System.err.println("perf gate (ratios to ceilings measured in this run):");
    for (Map.Entry<String, Double> entry : floors.entrySet()) {
      String key = entry.getKey();
      double floor = entry.getValue();
      Figure figure = find(figures, key);
      if (figure == null) {
        misses.add(key + ": not measured (renamed? update bench/gate.properties)");
        continue;
      }
      double ratio = figure.ratio();
      boolean ok = ratio >= floor;
      System.err.printf(Locale.ROOT, "  %-4s %-70s ratio %.3f  floor %.3f%n", ok ? "ok" : "LOW",
          key, ratio, floor);
      if (!ok) {
        misses.add(String.format(Locale.ROOT, "%s: ratio %.3f is below its floor %.3f (%s)",
            key, ratio, floor, figure.ceilingName()));
      }
    }
    System.err.printf(Locale.ROOT, "perf gate took %.0f s%n", seconds);
    if (misses.isEmpty()) {
      System.err.println("perf gate: passed");
      return 0;
    }
    System.err.println("perf gate: FAILED");
    misses.forEach(m -> System.err.println("  " + m));
    System.err.println("If the change is meant to cost this, set the floor in"
        + " bench/gate.properties to 60% of the new ratio (from ./hive bench gate on an unloaded"
        + " machine) and say why in the commit message.");
    return 1;
  }

  /** Lines {@code <floor> <scenario> | <figure name>}; {@code #} starts a comment. */
  static Map<String, Double> floors(Path file) throws IOException {
    Map<String, Double> floors = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file)) {
      String text = line.strip();
      if (text.isEmpty() || text.startsWith("#")) {
        continue;
      }
      String[] parts = text.split("\\s+", 2);
      floors.put(parts[1], Double.parseDouble(parts[0]));
    }
    return floors;
  }

  /** A floor's key is {@code <scenario> | <figure name>}. */
  private static Figure find(List<Figure> figures, String key) {
    for (Figure f : figures) {
      if ((f.scenario() + " | " + f.name()).equals(key) && f.hasCeiling()) {
        return f;
      }
    }
    return null;
  }
}
