package io.agenthive.schedule;

import io.agenthive.common.CborSerializable;
import java.time.Instant;

/**
 * The schedules' history, journaled by {@link ScheduleKeeper}. A fired slot is journaled after its
 * task was accepted; a slot whose submission was accepted but not journaled (a crash in between) is
 * submitted again after recovery under the same idempotency key, which names the same task.
 */
public sealed interface ScheduleEvent extends CborSerializable {
  String name();

  Instant at();

  record ScheduleCreated(ScheduleSpec spec, Instant at, String by) implements ScheduleEvent {
    @Override
    public String name() {
      return spec.name();
    }
  }

  /** Changed: slots count from {@code at} on, as for a new schedule. */
  record ScheduleUpdated(ScheduleSpec spec, Instant at, String by) implements ScheduleEvent {
    @Override
    public String name() {
      return spec.name();
    }
  }

  record SchedulePaused(String name, Instant at, String by) implements ScheduleEvent {}

  /** Slots that passed while it was paused are not replayed: it counts slots from {@code at}. */
  record ScheduleResumed(String name, Instant at, String by) implements ScheduleEvent {}

  record ScheduleDeleted(String name, Instant at, String by) implements ScheduleEvent {}

  /** {@code slot}'s task {@code taskId} was accepted; {@code manual} for a trigger. */
  record SlotFired(String name, Instant slot, boolean manual, String taskId, Instant at)
      implements ScheduleEvent {}

  /** {@code count} slots up to {@code upTo} given up; {@code reason}: missed or overlap. */
  record SlotsSkipped(String name, Instant upTo, long count, String reason, Instant at)
      implements ScheduleEvent {}
}
