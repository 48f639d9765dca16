package io.agenthive.schedule;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code every} and {@code catch_up_window}: a whole number and a unit, as in {@code 5m}. */
public final class EveryDuration {
  // the number is bounded so that no unit overflows a Duration
  private static final Pattern FORM = Pattern.compile("([0-9]{1,9})(ms|s|m|h|d)");

  private EveryDuration() {}

  /** The duration {@code text} names; empty when it is not of the form {@code <n><ms|s|m|h|d>}. */
  public static Optional<Duration> parse(String text) {
    Matcher m = FORM.matcher(text == null ? "" : text.strip());
    if (!m.matches()) {
      return Optional.empty();
    }
    long n = Long.parseLong(m.group(1));
    return Optional.of(
        switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        });
  }

  /** The shortest exact form: {@code 90s} stays {@code 90s}, {@code 120s} reads {@code 2m}. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 86_400_000L == 0 && ms > 0) {
      return ms / 86_400_000L + "d";
    } else if (ms % 3_600_000L == 0 && ms > 0) {
      return ms / 3_600_000L + "h";
    } else if (ms % 60_000L == 0 && ms > 0) {
      return ms / 60_000L + "m";
    } else if (ms % 1000L == 0) {
      return ms / 1000L + "s";
    }
    return ms + "ms";
  }
}
