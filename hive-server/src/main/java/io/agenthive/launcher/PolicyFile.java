package io.agenthive.launcher;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.agenthive.routing.ScoringPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A proposed routing policy for {@code ./hive replay-decisions --policy FILE}, in HOCON (JSON is
 * HOCON too): {@code name}, {@code weights} by capability (a quoted key for a name with a dot), and
 * optionally {@code default-weight} (1) and {@code no-requirement-score} (0.5). Every key is
 * checked: a typo or a bad value is one sentence naming it, never a policy that silently differs.
 */
final class PolicyFile {
  private static final Set<String> KEYS =
      Set.of("name", "weights", "default-weight", "no-requirement-score");

  private PolicyFile() {}

  static ScoringPolicy read(Path file) throws UsageError {
    if (!Files.isRegularFile(file)) {
      throw new UsageError("--policy " + file + ": there is no such file.");
    }
    Config c;
    try {
      c = ConfigFactory.parseFile(file.toFile()).resolve();
    } catch (ConfigException e) {
      throw new UsageError("--policy " + file + " is not valid HOCON or JSON: " + e.getMessage());
    }
    for (String key : c.root().keySet()) {
      if (!KEYS.contains(key)) {
        throw new UsageError(
            "--policy "
                + file
                + ": unknown key '"
                + key
                + "' (known: name, weights, default-weight, no-requirement-score).");
      }
    }
    try {
      String name = c.hasPath("name") ? c.getString("name") : file.getFileName().toString();
      double defaultWeight = weight(file, "default-weight", c, 1.0);
      double noRequirement =
          c.hasPath("no-requirement-score") ? c.getDouble("no-requirement-score") : 0.5;
      if (noRequirement < 0 || noRequirement > 1) {
        throw new UsageError(
            "--policy " + file + ": no-requirement-score must be between 0 and 1.");
      }
      Map<String, Double> weights = new LinkedHashMap<>();
      if (c.hasPath("weights")) {
        for (Map.Entry<String, ConfigValue> w : c.getObject("weights").entrySet()) {
          if (w.getValue().valueType() != ConfigValueType.NUMBER) {
            throw new UsageError(
                "--policy " + file + ": weights." + w.getKey() + " must be a number.");
          }
          double v = ((Number) w.getValue().unwrapped()).doubleValue();
          if (!(v >= 0) || Double.isInfinite(v)) {
            throw new UsageError(
                "--policy "
                    + file
                    + ": weights."
                    + w.getKey()
                    + " must be 0 or more, not "
                    + v
                    + ".");
          }
          weights.put(w.getKey(), v);
        }
      }
      return new ScoringPolicy(name, weights, defaultWeight, noRequirement);
    } catch (ConfigException e) {
      throw new UsageError("--policy " + file + ": " + e.getMessage());
    }
  }

  private static double weight(Path file, String key, Config c, double fallback) throws UsageError {
    double v = c.hasPath(key) ? c.getDouble(key) : fallback;
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw new UsageError("--policy " + file + ": " + key + " must be 0 or more, not " + v + ".");
    }
    return v;
  }
}
