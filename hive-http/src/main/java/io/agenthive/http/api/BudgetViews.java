package io.agenthive.http.api;

import io.agenthive.budget.BudgetStatus;
import io.agenthive.budget.Hold;
import java.time.Instant;
import java.util.List;

/** Budgets and their holds as the API shows them (labels, not enum names). */
final class BudgetViews {
  private BudgetViews() {}

  record HoldJson(
      String reason,
      String budget,
      String scope,
      String target,
      String metric,
      double spent,
      double limit,
      Instant resetsAt) {}

  record BudgetJson(
      String name,
      String scope,
      String target,
      String metric,
      double limit,
      String period,
      double spent,
      double remaining,
      long tasks,
      Instant periodStart,
      Instant resetsAt,
      boolean exhausted) {}

  record BudgetList(List<BudgetJson> budgets, List<HoldJson> holds) {}

  static HoldJson hold(Hold h) {
    return new HoldJson(
        Hold.REASON,
        h.budget(),
        h.scope().label(),
        h.target(),
        h.metric().label(),
        h.spent(),
        h.limit(),
        h.resetsAt());
  }

  static List<HoldJson> holds(List<Hold> holds) {
    return holds.stream().map(BudgetViews::hold).toList();
  }

  static BudgetJson budget(BudgetStatus s) {
    var b = s.budget();
    return new BudgetJson(
        b.name(),
        b.scope().label(),
        b.target(),
        b.metric().label(),
        b.limit(),
        b.period().label(),
        s.spent(),
        Math.max(0, b.limit() - s.spent()),
        s.tasks(),
        s.periodStart(),
        s.resetsAt(),
        s.exhausted());
  }

  static BudgetList list(List<BudgetStatus> all, List<Hold> holds) {
    return new BudgetList(all.stream().map(BudgetViews::budget).toList(), holds(holds));
  }
}
