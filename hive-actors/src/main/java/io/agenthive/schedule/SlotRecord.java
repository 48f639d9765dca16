package io.agenthive.schedule;

import io.agenthive.common.CborSerializable;
import java.time.Instant;

/**
 * One line of a schedule's history: a slot and the task it made ({@code fired}, {@code manual}), or
 * slots given up ({@code missed}: downtime beyond the catch-up rule, {@code count} of them up to
 * {@code slot}; {@code overlap}: the previous slot's task had not ended).
 */
public record SlotRecord(Instant slot, String outcome, String taskId, long count, Instant at)
    implements CborSerializable {
  public static final String FIRED = "fired";
  public static final String MANUAL = "manual";
  public static final String MISSED = "missed";
  public static final String OVERLAP = "overlap";
}
