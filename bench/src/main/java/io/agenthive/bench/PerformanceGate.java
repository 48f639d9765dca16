package io.agenthive.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code ./hive bench gate}: a performance regression gate for CI. It measures the figures whose
 * ratio to a same-run ceiling says whether the hub got slower (never absolute times: the CI machine
 * differs from the one that set the floors), and fails when a ratio drops below its floor in {@code
 * bench/gate.properties} twice in a row (a miss is measured again: one slow run on a shared machine
 * is noise). Each floor is a fraction of the ratio recorded when it was set, wide enough that noise
 * on 2 cores does not trip it and narrow enough that a change which halves a figure does.
 */
final class PerformanceGate {
  static final List<String> SCENARIOS = List.of("core", "http");

  private PerformanceGate() {}

  /** The gated figures below their floors (each printed, with its ratio and floor). */
  static Set<String> check(List<Figure> figures, Map<String, Double> floors) {
    Set<String> missed = new TreeSet<>();
    System.err.println();
    System.err.println("perf gate (ratios to ceilings measured in this run):");
    for (Map.Entry<String, Double> entry : floors.entrySet()) {
      String key = entry.getKey();
      double floor = entry.getValue();
      Figure figure = find(figures, key);
      if (figure == null && key.contains("/postgres |") && !BenchDb.postgresAvailable()) {
        // measured only where a PostgreSQL is running, as in CI (deploy/postgres/local-test-db.sh)
        System.err.println("  --   " + key + ": not measured here (no PostgreSQL)");
        continue;
      }
      if (figure == null) {
        System.err.println(
            "  MISSING " + key + ": not measured (renamed? update" + " bench/gate.properties)");
        missed.add(key);
        continue;
      }
      double ratio = figure.ratio();
      boolean ok = ratio >= floor;
      System.err.printf(
          Locale.ROOT,
          "  %-4s %-66s ratio %.3f  floor %.3f  (%s)%n",
          ok ? "ok" : "LOW",
          key,
          ratio,
          floor,
          figure.ceilingName());
      if (!ok) {
        missed.add(key);
      }
    }
    return missed;
  }

  /**
   * The scenarios that measure these gated figures ({@code core/h2 | ...} is measured by {@code
   * core}): a second measurement runs only them, not every scenario of the gate.
   */
  static Set<String> scenariosOf(Set<String> keys) {
    Set<String> names = new TreeSet<>();
    for (String key : keys) {
      String scenario = key.substring(0, key.indexOf(" | ")).strip();
      names.add(scenario.contains("/") ? scenario.substring(0, scenario.indexOf('/')) : scenario);
    }
    return names;
  }

  /** Only the floors of {@code keys}. */
  static Map<String, Double> only(Map<String, Double> floors, Set<String> keys) {
    Map<String, Double> some = new LinkedHashMap<>(floors);
    some.keySet().retainAll(keys);
    return some;
  }

  /** 0 when nothing missed twice; 1 otherwise, with what to do. */
  static int verdict(Set<String> missed, double seconds) {
    System.err.printf(Locale.ROOT, "perf gate took %.0f s%n", seconds);
    if (missed.isEmpty()) {
      System.err.println("perf gate: passed");
      return 0;
    }
    System.err.println("perf gate: FAILED, below the floor in two runs in a row:");
    missed.forEach(m -> System.err.println("  " + m));
    System.err.println(
        "If the change is meant to cost this, set the floor in"
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
