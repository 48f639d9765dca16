package io.agenthive.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agenthive.http.json.Json;
import io.agenthive.schedule.EveryDuration;
import io.agenthive.schedule.ScheduleEntry;
import io.agenthive.schedule.ScheduleSpec;
import io.agenthive.schedule.ScheduleTimes;
import io.agenthive.schedule.Schedules;
import io.agenthive.schedule.SlotRecord;
import java.time.Instant;
import java.util.List;

/** Schedules as the API shows them: the definition as written, next fire times, history. */
final class ScheduleViews {
  private ScheduleViews() {}

  /** One schedule; {@code history} only when one schedule is read, not in the list. */
  record ScheduleView(
      String name,
      String cron,
      String every,
      String timezone,
      JsonNode task,
      JsonNode workflow,
      String overlap,
      String catchUp,
      String catchUpWindow,
      boolean paused,
      Instant createdAt,
      String createdBy,
      Instant lastSlot,
      String lastTaskId,
      List<Instant> nextFireTimes,
      List<SlotRecord> history) {}

  record Page(List<ScheduleView> items, int total) {}

  record History(String name, List<SlotRecord> items) {}

  static ScheduleView of(ScheduleEntry e, boolean withHistory, Instant now) {
    ScheduleSpec s = e.spec();
    return new ScheduleView(
        s.name(),
        s.cron(),
        s.every() == null ? null : EveryDuration.format(s.every()),
        s.timezone(),
        s.task() != null ? s.template() : null,
        s.workflow() != null ? s.template() : null,
        s.overlap().label(),
        s.catchUp().label(),
        EveryDuration.format(s.catchUpWindow()),
        s.paused(),
        e.createdAt(),
        e.createdBy(),
        e.lastSlot(),
        e.lastTaskId(),
        nextFireTimes(e, now),
        withHistory ? e.history() : null);
  }

  /** The next five slots after now (none while paused: a paused schedule fires nothing). */
  static List<Instant> nextFireTimes(ScheduleEntry e, Instant now) {
    if (e.spec().paused()) {
      return List.of();
    }
    Instant from = now.isAfter(e.handledUpTo()) ? now : e.handledUpTo();
    return ScheduleTimes.of(e.spec()).next(from, Schedules.NEXT_TIMES);
  }

  static Page page(List<ScheduleEntry> entries, Instant now) {
    return new Page(entries.stream().map(e -> of(e, false, now)).toList(), entries.size());
  }

  /** The schedule in request form, for a PATCH to be laid over. */
  static ObjectNode requestForm(ScheduleEntry e) {
    ScheduleSpec s = e.spec();
    ObjectNode n = Json.MAPPER.createObjectNode().put("name", s.name());
    if (s.cron() != null) {
      n.put("cron", s.cron());
    } else {
      n.put("every", EveryDuration.format(s.every()));
    }
    n.put("timezone", s.timezone())
        .put("overlap", s.overlap().label())
        .put("catch_up", s.catchUp().label())
        .put("catch_up_window", EveryDuration.format(s.catchUpWindow()))
        .put("paused", s.paused());
    n.set(s.workflow() != null ? "workflow" : "task", s.template());
    return n;
  }
}
