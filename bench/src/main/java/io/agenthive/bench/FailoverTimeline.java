package io.agenthive.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where a kill -9 round's seconds went, as the survivors' logs tell it: when a survivor marked the
 * lost node unreachable, when the split brain resolver downed it, and when the new matcher was
 * ready. The rest of a round (the singletons' removal margin, the shard coordinator's start, the
 * probe's first steps) is the gap between the last of these and the probe's start. Each line of a
 * node's log starts with its wall-clock time of day (the hub's text log: {@code HH:mm:ss.SSS}), on
 * this machine's clock, the one the harness reads for the kill.
 */
final class FailoverTimeline {
  static final String UNREACHABLE = "Marking node as UNREACHABLE";
  static final String DOWNED = "SBR took decision DownUnreachable and is downing [akka";
  static final String MATCHER_READY = "Task matcher ready";
  private static final long DAY_MS = Duration.ofDays(1).toMillis();

  /** Seconds from the kill to each step; {@code NaN} where no survivor logged it. */
  record Round(double unreachable, double downed, double matcherReady) {
    String describe() {
      return String.format(
          Locale.ROOT,
          "unreachable after %.2f s, downed after %.2f s, the new matcher ready after %.2f s",
          unreachable,
          downed,
          matcherReady);
    }
  }

  private FailoverTimeline() {}

  static Round of(List<Path> survivorLogs, Instant killedAt) throws IOException {
    long killMs = millisOfDay(killedAt);
    double[] first = {Double.NaN, Double.NaN, Double.NaN};
    String[] marks = {UNREACHABLE, DOWNED, MATCHER_READY};
    for (Path log : survivorLogs) {
      for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
        for (int m = 0; m < marks.length; m++) {
          if (line.contains(marks[m])) {
            double after = secondsAfter(line, killMs);
            if (after >= 0 && (Double.isNaN(first[m]) || after < first[m])) {
              first[m] = after;
            }
          }
        }
      }
    }
    return new Round(first[0], first[1], first[2]);
  }

  /**
   * The seconds from {@code killMs} (of the day) to the line's time, or -1 before it or unknown.
   */
  static double secondsAfter(String line, long killMs) {
    if (line.length() < 12) {
      return -1;
    }
    long ms;
    try {
      ms = LocalTime.parse(line.substring(0, 12)).toNanoOfDay() / 1_000_000;
    } catch (DateTimeParseException notTimed) {
      return -1; // a stack trace's line, or a JVM's own message
    }
    long diff = ms - killMs;
    if (diff < -DAY_MS / 2) {
      diff += DAY_MS; // the round crossed midnight
    }
    return diff < 0 ? -1 : diff / 1000.0;
  }

  private static long millisOfDay(Instant at) {
    return at.atZone(ZoneId.systemDefault()).toLocalTime().toNanoOfDay() / 1_000_000;
  }

  /** The median of each step over the rounds, for the run's notes. */
  static String medians(List<Round> rounds) {
    List<Double> u = new ArrayList<>();
    List<Double> d = new ArrayList<>();
    List<Double> r = new ArrayList<>();
    rounds.forEach(
        round -> {
          u.add(round.unreachable());
          d.add(round.downed());
          r.add(round.matcherReady());
        });
    return "cluster: kill -9 rounds from the survivors' logs (median of "
        + rounds.size()
        + "): "
        + new Round(median(u), median(d), median(r)).describe();
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().filter(v -> !v.isNaN()).sorted().toList();
    return sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() / 2);
  }
}
