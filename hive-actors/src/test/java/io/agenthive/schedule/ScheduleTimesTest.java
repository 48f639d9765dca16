package io.agenthive.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthive.task.Priority;
import io.agenthive.task.TaskSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Slot times (cron-utils, DST-safe in the schedule's zone) and what a catch-up fires. */
class ScheduleTimesTest {
  static final TaskSpec TASK =
      new TaskSpec("t", "", "general", Priority.MEDIUM, List.of(), null, null, null, null, null);

  static ScheduleSpec cron(String cron, String zone) {
    return spec(cron, null, zone, ScheduleSpec.CatchUp.ALL, Duration.ofHours(1));
  }

  static ScheduleSpec spec(
      String cron, Duration every, String zone, ScheduleSpec.CatchUp catchUp, Duration window) {
    return new ScheduleSpec(
        "s",
        cron,
        every,
        zone,
        TASK,
        null,
        null,
        ScheduleSpec.Overlap.QUEUE,
        catchUp,
        window,
        false);
  }

  @Test
  void aDailyNineOClockStaysNineLocalAcrossTheSpringDstChangeInBerlin() {
    // 2027-03-28 is the last Sunday of March: Berlin moves from UTC+1 to UTC+2 at 01:00 UTC
    var times = ScheduleTimes.of(cron("0 9 * * *", "Europe/Berlin"));
    List<Instant> next = times.next(Instant.parse("2027-03-26T12:00:00Z"), 5);
    assertEquals(
        List.of(
            Instant.parse("2027-03-27T08:00:00Z"),
            Instant.parse("2027-03-28T07:00:00Z"),
            Instant.parse("2027-03-29T07:00:00Z"),
            Instant.parse("2027-03-30T07:00:00Z"),
            Instant.parse("2027-03-31T07:00:00Z")),
        next);
  }

  @Test
  void aSlotInsideTheSkippedHourDoesNotFireTwiceOrGoBackwards() {
    var times = ScheduleTimes.of(cron("30 2 * * *", "Europe/Berlin"));
    List<Instant> next = times.next(Instant.parse("2027-03-26T12:00:00Z"), 5);
    for (int i = 1; i < next.size(); i++) {
      assertTrue(next.get(i).isAfter(next.get(i - 1)), next.toString());
    }
    assertEquals(Instant.parse("2027-03-27T01:30:00Z"), next.get(0));
    // 02:30 does not exist in Berlin on 2027-03-28: that day has no slot (cron-utils skips it)
    assertEquals(Instant.parse("2027-03-29T00:30:00Z"), next.get(1));
  }

  @Test
  void quartzExpressionsWithSecondsAreAccepted() {
    var times = ScheduleTimes.of(cron("*/10 * * * * ?", "UTC"));
    assertEquals(
        List.of(Instant.parse("2027-01-01T00:00:10Z"), Instant.parse("2027-01-01T00:00:20Z")),
        times.next(Instant.parse("2027-01-01T00:00:05Z"), 2));
  }

  @Test
  void badCronExpressionsAreNamed() {
    assertTrue(ScheduleTimes.cronError("61 * * * *").isPresent());
    assertTrue(ScheduleTimes.cronError("* * *").isPresent());
    assertTrue(ScheduleTimes.cronError("0 9 * * MON-FRI").isEmpty());
  }

  @Test
  void everySlotsAreMultiplesOfTheIntervalSinceTheEpoch() {
    var times =
        ScheduleTimes.of(spec(null, Duration.ofSeconds(2), "UTC", ScheduleSpec.CatchUp.ALL, null));
    assertEquals(
        List.of(Instant.parse("2027-01-01T00:00:02Z"), Instant.parse("2027-01-01T00:00:04Z")),
        times.next(Instant.parse("2027-01-01T00:00:00.500Z"), 2));
  }

  static SlotPlan plan(ScheduleSpec.CatchUp catchUp, String since, String now) {
    return plan(catchUp, Duration.ofMinutes(1), since, now);
  }

  static SlotPlan plan(ScheduleSpec.CatchUp catchUp, Duration every, String since, String now) {
    ScheduleSpec s = spec(null, every, "UTC", catchUp, Duration.ofMinutes(10));
    return SlotPlan.at(ScheduleEntry.created(s, Instant.parse(since), "t"), Instant.parse(now));
  }

  @Test
  void catchUpAllFiresEverySlotInsideTheWindowAndGivesUpTheOlderOnes() {
    SlotPlan p = plan(ScheduleSpec.CatchUp.ALL, "2027-01-01T00:00:30Z", "2027-01-01T00:20:05Z");
    assertEquals(10, p.fire().size(), p.toString());
    assertEquals(Instant.parse("2027-01-01T00:11:00Z"), p.fire().get(0));
    assertEquals(10, p.missed());
    // the older slots are counted, and the schedule moves past them to the window's start
    assertEquals(Instant.parse("2027-01-01T00:10:05Z"), p.lastMissed());
  }

  @Test
  void catchUpOneFiresTheLatestAndNoneFiresOnlyASlotThatIsOnTime() {
    SlotPlan one = plan(ScheduleSpec.CatchUp.ONE, "2027-01-01T00:00:30Z", "2027-01-01T00:20:05Z");
    assertEquals(List.of(Instant.parse("2027-01-01T00:20:00Z")), one.fire());
    assertEquals(19, one.missed());
    SlotPlan none = plan(ScheduleSpec.CatchUp.NONE, "2027-01-01T00:00:30Z", "2027-01-01T00:20:05Z");
    assertEquals(List.of(Instant.parse("2027-01-01T00:20:00Z")), none.fire());
    // every 10m: the 00:20 slot is more than the grace late at 00:21:59, so it is missed too
    SlotPlan late =
        plan(
            ScheduleSpec.CatchUp.NONE,
            Duration.ofMinutes(10),
            "2027-01-01T00:00:30Z",
            "2027-01-01T00:21:59Z");
    assertEquals(List.of(), late.fire());
    assertEquals(2, late.missed());
    assertEquals(Instant.parse("2027-01-01T00:20:00Z"), late.lastMissed());
  }

  @Test
  void everyDurationsParseAndFormat() {
    assertEquals(Duration.ofSeconds(2), EveryDuration.parse("2s").orElseThrow());
    assertEquals(Duration.ofMinutes(5), EveryDuration.parse("5m").orElseThrow());
    assertTrue(EveryDuration.parse("5 minutes").isEmpty());
    assertEquals("1h", EveryDuration.format(Duration.ofMinutes(60)));
  }
}
