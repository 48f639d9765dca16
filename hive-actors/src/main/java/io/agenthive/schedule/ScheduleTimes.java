package io.agenthive.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * When a schedule's slots fall. Cron expressions are parsed by cron-utils (5 fields: Unix; 6 or 7:
 * Quartz, with seconds) and their times computed as {@link ZonedDateTime}s in the schedule's zone,
 * so a daily 09:00 stays 09:00 local across a DST change. {@code every} slots are the multiples of
 * the interval since the epoch: every node computes the same instants, whenever the schedule was
 * made or the scheduler restarted.
 */
public final class ScheduleTimes {
  private static final CronParser UNIX =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final CronParser QUARTZ =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

  private final ExecutionTime cron;
  private final ZoneId zone;
  private final long everyMillis;

  private ScheduleTimes(ExecutionTime cron, ZoneId zone, long everyMillis) {
    this.cron = cron;
    this.zone = zone;
    this.everyMillis = everyMillis;
  }

  /** The times of a valid spec (see {@link ScheduleSpec#validate}). */
  public static ScheduleTimes of(ScheduleSpec spec) {
    if (spec.every() != null) {
      return new ScheduleTimes(null, spec.zone(), spec.every().toMillis());
    }
    return new ScheduleTimes(ExecutionTime.forCron(parse(spec.cron())), spec.zone(), 0);
  }

  /** Why {@code text} is no cron expression this hub accepts; empty when it is one. */
  public static Optional<String> cronError(String text) {
    if (text.length() > ScheduleSpec.MAX_CRON_CHARS) {
      return Optional.of("must be at most " + ScheduleSpec.MAX_CRON_CHARS + " characters");
    }
    try {
      parse(text);
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(
          "is not a valid cron expression (5 fields Unix, or 6-7 fields Quartz): "
              + e.getMessage());
    }
  }

  private static Cron parse(String text) {
    String trimmed = text.strip();
    int fields = trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
    if (fields == 5) {
      return UNIX.parse(trimmed).validate();
    } else if (fields == 6 || fields == 7) {
      return QUARTZ.parse(trimmed).validate();
    }
    throw new IllegalArgumentException("has " + fields + " fields");
  }

  /** The first slot strictly after {@code t}; empty when the expression never fires again. */
  public Optional<Instant> after(Instant t) {
    if (cron == null) {
      long n = Math.floorDiv(t.toEpochMilli(), everyMillis) + 1;
      return Optional.of(Instant.ofEpochMilli(n * everyMillis));
    }
    return cron.nextExecution(t.atZone(zone)).map(ZonedDateTime::toInstant);
  }

  /** The next {@code count} slots after {@code t}, fewer when the expression ends. */
  public List<Instant> next(Instant t, int count) {
    List<Instant> out = new ArrayList<>();
    Instant at = t;
    for (int i = 0; i < count; i++) {
      Optional<Instant> n = after(at);
      if (n.isEmpty()) {
        break;
      }
      at = n.orElseThrow();
      out.add(at);
    }
    return out;
  }

  /**
   * The slots in {@code (from, to]}, oldest first, at most {@code max} of them: the newest {@code
   * max} when there are more (the older ones are counted in {@code skippedBefore}).
   */
  public Window between(Instant from, Instant to, int max) {
    List<Instant> slots = new ArrayList<>();
    long dropped = 0;
    if (cron == null) {
      long first = Math.floorDiv(from.toEpochMilli(), everyMillis) + 1;
      long last = Math.floorDiv(to.toEpochMilli(), everyMillis);
      long start = Math.max(first, last - max + 1);
      dropped = Math.max(0, start - first);
      for (long n = start; n <= last; n++) {
        slots.add(Instant.ofEpochMilli(n * everyMillis));
      }
      return new Window(slots, dropped);
    }
    // cron slots cannot be counted without walking them: the walk is bounded, the rest counted
    Instant at = from;
    for (long walked = 0; walked < MAX_WALK; walked++) {
      Optional<Instant> n = after(at);
      if (n.isEmpty() || n.orElseThrow().isAfter(to)) {
        break;
      }
      at = n.orElseThrow();
      slots.add(at);
      if (slots.size() > max) {
        slots.remove(0);
        dropped++;
      }
    }
    return new Window(slots, dropped);
  }

  /** How many slots fall in {@code (from, to]}; for cron at most {@link #MAX_WALK}. */
  public long count(Instant from, Instant to) {
    if (cron == null) {
      return Math.max(
          0,
          Math.floorDiv(to.toEpochMilli(), everyMillis)
              - Math.floorDiv(from.toEpochMilli(), everyMillis));
    }
    long n = 0;
    Instant at = from;
    while (n < MAX_WALK) {
      Optional<Instant> next = after(at);
      if (next.isEmpty() || next.orElseThrow().isAfter(to)) {
        break;
      }
      at = next.orElseThrow();
      n++;
    }
    return n;
  }

  /** How many cron slots one evaluation walks at most (a week of minutely slots is 10,080). */
  static final long MAX_WALK = 20_000;

  /** Slots in a range: the newest ones, and how many older ones were left out. */
  public record Window(List<Instant> slots, long skippedBefore) {}
}
