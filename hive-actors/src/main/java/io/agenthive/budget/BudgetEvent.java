package io.agenthive.budget;

import io.agenthive.common.CborSerializable;
import java.time.Instant;

/** The budget ledger's history: budgets set and removed, and every attempt's spend. */
public sealed interface BudgetEvent extends CborSerializable {
  Instant at();

  /** Created, or changed (a raised limit releases what it held). */
  record BudgetSet(Budget budget, Instant at, String by) implements BudgetEvent {}

  record BudgetRemoved(String name, Instant at, String by) implements BudgetEvent {}

  record SpendRecorded(Spend spend) implements BudgetEvent {
    @Override
    public Instant at() {
      return spend.at();
    }
  }
}
