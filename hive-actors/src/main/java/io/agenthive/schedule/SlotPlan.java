package io.agenthive.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What one evaluation of a schedule does with the slots since it last handled one: which to fire
 * (oldest first) and how many it gives up as missed. Missed slots are always older than the fired
 * ones, so recording the newest missed one moves the schedule past all of them.
 *
 * @param fire the slots to fire, oldest first
 * @param missed how many slots are given up
 * @param lastMissed the newest slot given up (null when none is)
 */
public record SlotPlan(List<Instant> fire, long missed, Instant lastMissed) {

  /**
   * How late the newest slot may be and still fire under {@code catch_up: none}: a timer that fires
   * a little late, or a failover within a minute, is not downtime.
   */
  public static final Duration GRACE = Duration.ofMinutes(1);

  /** At most this many slots are fired by one catch-up, however many the window holds. */
  public static final int MAX_CATCH_UP = 1000;

  public static final SlotPlan NOTHING = new SlotPlan(List.of(), 0, null);

  /**
   * The plan for {@code entry} at {@code now}: the slots in {@code (from, now]}, where {@code from}
   * is the later of the last handled slot and the moment it was created, changed or resumed (slots
   * while it was paused are never replayed).
   */
  public static SlotPlan at(ScheduleEntry entry, Instant now) {
    ScheduleSpec spec = entry.spec();
    if (spec.paused()) {
      return NOTHING;
    }
    Instant from = entry.handledUpTo();
    Duration lookBack = max(spec.catchUpWindow(), GRACE);
    Instant start = from.isBefore(now.minus(lookBack)) ? now.minus(lookBack) : from;
    ScheduleTimes times = ScheduleTimes.of(spec);
    ScheduleTimes.Window window = times.between(start, now, MAX_CATCH_UP);
    // slots older than the look-back are never fired: only counted (a cron walk is bounded)
    long older = window.skippedBefore() + (start.equals(from) ? 0 : times.count(from, start));
    List<Instant> slots = window.slots();
    if (slots.isEmpty()) {
      return older == 0 ? NOTHING : new SlotPlan(List.of(), older, start);
    }
    Instant newest = slots.get(slots.size() - 1);
    List<Instant> fire = new ArrayList<>();
    switch (spec.catchUp()) {
      case NONE -> {
        if (!newest.isBefore(now.minus(GRACE))) {
          fire.add(newest);
        }
      }
      case ONE -> fire.add(newest);
      case ALL -> {
        Instant oldestAllowed = now.minus(spec.catchUpWindow());
        for (Instant s : slots) {
          if (!s.isBefore(oldestAllowed) || s.equals(newest) && !s.isBefore(now.minus(GRACE))) {
            fire.add(s);
          }
        }
      }
    }
    long missed = older + slots.size() - fire.size();
    Instant lastMissed = null;
    if (missed > 0) {
      int firstFired = fire.isEmpty() ? slots.size() : slots.indexOf(fire.get(0));
      lastMissed = firstFired == 0 ? start : slots.get(firstFired - 1);
    }
    return new SlotPlan(List.copyOf(fire), missed, lastMissed);
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
