package io.agenthive.schedule;

import io.agenthive.common.CborSerializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One schedule as the keeper holds it: its definition, from when its slots count ({@code since}:
 * created, changed or resumed), the newest slot it handled, the task of its latest firing (for
 * {@code overlap: skip}) and its last {@link #HISTORY} history lines, newest last.
 */
public record ScheduleEntry(
    ScheduleSpec spec,
    Instant createdAt,
    String createdBy,
    Instant since,
    Instant lastSlot,
    String lastTaskId,
    List<SlotRecord> history)
    implements CborSerializable {

  /** History lines kept per schedule; older ones are dropped. */
  public static final int HISTORY = 100;

  public static ScheduleEntry created(ScheduleSpec spec, Instant at, String by) {
    return new ScheduleEntry(spec, at, by, at, null, null, List.of());
  }

  /** Slots after this instant are still to be handled. */
  public Instant handledUpTo() {
    return lastSlot != null && lastSlot.isAfter(since) ? lastSlot : since;
  }

  ScheduleEntry withSpec(ScheduleSpec s, Instant newSince) {
    return new ScheduleEntry(s, createdAt, createdBy, newSince, lastSlot, lastTaskId, history);
  }

  ScheduleEntry fired(SlotRecord line, boolean manual) {
    Instant handled = manual ? lastSlot : later(lastSlot, line.slot());
    return new ScheduleEntry(
        spec, createdAt, createdBy, since, handled, line.taskId(), append(line));
  }

  ScheduleEntry skipped(SlotRecord line) {
    return new ScheduleEntry(
        spec, createdAt, createdBy, since, later(lastSlot, line.slot()), lastTaskId, append(line));
  }

  private List<SlotRecord> append(SlotRecord line) {
    List<SlotRecord> out = new ArrayList<>(history);
    out.add(line);
    while (out.size() > HISTORY) {
      out.remove(0);
    }
    return List.copyOf(out);
  }

  private static Instant later(Instant a, Instant b) {
    return a == null || b.isAfter(a) ? b : a;
  }
}
