package io.agenthive.schedule;

import io.agenthive.common.CborSerializable;
import java.util.Map;
import java.util.TreeMap;

/** Every schedule by name: the keeper's state, rebuilt from its journal (and snapshots). */
public record ScheduleBook(Map<String, ScheduleEntry> schedules) implements CborSerializable {

  public static ScheduleBook empty() {
    return new ScheduleBook(Map.of());
  }

  public ScheduleEntry get(String name) {
    return schedules.get(name);
  }

  public ScheduleBook apply(ScheduleEvent event) {
    ScheduleEntry e = schedules.get(event.name());
    if (event instanceof ScheduleEvent.ScheduleCreated c) {
      return with(c.name(), ScheduleEntry.created(c.spec(), c.at(), c.by()));
    } else if (e == null) {
      return this; // a late firing of a schedule deleted meanwhile
    } else if (event instanceof ScheduleEvent.ScheduleUpdated u) {
      return with(u.name(), e.withSpec(u.spec(), u.at()));
    } else if (event instanceof ScheduleEvent.SchedulePaused) {
      return with(e.spec().name(), e.withSpec(e.spec().withPaused(true), e.since()));
    } else if (event instanceof ScheduleEvent.ScheduleResumed r) {
      return with(e.spec().name(), e.withSpec(e.spec().withPaused(false), r.at()));
    } else if (event instanceof ScheduleEvent.ScheduleDeleted d) {
      Map<String, ScheduleEntry> out = new TreeMap<>(schedules);
      out.remove(d.name());
      return new ScheduleBook(Map.copyOf(out));
    } else if (event instanceof ScheduleEvent.SlotFired f) {
      String outcome = f.manual() ? SlotRecord.MANUAL : SlotRecord.FIRED;
      return with(
          f.name(), e.fired(new SlotRecord(f.slot(), outcome, f.taskId(), 1, f.at()), f.manual()));
    } else if (event instanceof ScheduleEvent.SlotsSkipped s) {
      return with(
          s.name(), e.skipped(new SlotRecord(s.upTo(), s.reason(), null, s.count(), s.at())));
    }
    throw new IllegalStateException("unknown schedule event " + event.getClass().getName());
  }

  private ScheduleBook with(String name, ScheduleEntry entry) {
    Map<String, ScheduleEntry> out = new TreeMap<>(schedules);
    out.put(name, entry);
    return new ScheduleBook(Map.copyOf(out));
  }
}
