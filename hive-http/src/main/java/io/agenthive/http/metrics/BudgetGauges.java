package io.agenthive.http.metrics;

import io.agenthive.budget.BudgetStatus;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.function.Supplier;

/**
 * Spend against budget, read at scrape time from this node's copy of the ledger (hive-wide, like
 * the counts: aggregate with {@code max}). One series per budget: operators name budgets, so their
 * number is theirs to keep small; past {@link #SHOWN} the rest are left out.
 */
final class BudgetGauges {
  static final int SHOWN = 200;

  private BudgetGauges() {}

  static Boolean register(PrometheusRegistry registry, Supplier<List<BudgetStatus>> budgets) {
    GaugeWithCallback.builder()
        .name("hive_budget_spent")
        .help("What a budget spent in its current period, in its metric (tokens or cost)")
        .labelNames("budget", "scope", "metric", "period")
        .callback(cb -> each(budgets, s -> cb.call(s.spent(), labels(s))))
        .register(registry);
    GaugeWithCallback.builder()
        .name("hive_budget_limit")
        .help("A budget's limit per period, in its metric (tokens or cost)")
        .labelNames("budget", "scope", "metric", "period")
        .callback(cb -> each(budgets, s -> cb.call(s.budget().limit(), labels(s))))
        .register(registry);
    GaugeWithCallback.builder()
        .name("hive_budget_exhausted")
        .help("1 while a budget holds work back (reason budget_exhausted)")
        .labelNames("budget", "scope", "metric", "period")
        .callback(cb -> each(budgets, s -> cb.call(s.exhausted() ? 1 : 0, labels(s))))
        .register(registry);
    return Boolean.TRUE;
  }

  private static void each(
      Supplier<List<BudgetStatus>> budgets, java.util.function.Consumer<BudgetStatus> f) {
    budgets.get().stream().limit(SHOWN).forEach(f);
  }

  private static String[] labels(BudgetStatus s) {
    var b = s.budget();
    return new String[] {b.name(), b.scope().label(), b.metric().label(), b.period().label()};
  }
}
