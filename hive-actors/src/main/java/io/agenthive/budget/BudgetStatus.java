package io.agenthive.budget;

import io.agenthive.common.CborSerializable;
import java.time.Instant;

/**
 * A budget as it stands: spent in the current period over {@code tasks} attempts, from {@code
 * periodStart} until {@code resetsAt} (null: never), and whether it holds work back now.
 */
public record BudgetStatus(
    Budget budget,
    double spent,
    long tasks,
    Instant periodStart,
    Instant resetsAt,
    boolean exhausted)
    implements CborSerializable {}
