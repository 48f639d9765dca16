package io.agenthive.budget;

import io.agenthive.common.CborSerializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ledger's state, rebuilt from its events: the budgets and what each spent in its current
 * period. A budget holds work back once the next task, costing what its tasks cost on average so
 * far in this period, would take it past its limit (or once it is past it). Spends are counted once
 * per attempt: the newest {@link #REMEMBERED} keys are kept to recognise a repeat.
 */
public record BudgetBook(
    Map<String, Budget> budgets, Map<String, Window> windows, Set<String> recent)
    implements CborSerializable {
  static final int REMEMBERED = 10_000;

  /** What a budget spent since {@code start} over {@code tasks} attempts. */
  public record Window(Instant start, double spent, long tasks) implements CborSerializable {}

  static BudgetBook empty() {
    return new BudgetBook(new LinkedHashMap<>(), new LinkedHashMap<>(), new LinkedHashSet<>());
  }

  boolean seen(Spend spend) {
    return recent.contains(spend.key());
  }

  /**
   * A new book (the state is never changed in place: snapshots are written while later events are
   * applied). A budget changed in anything but its limit starts a fresh window.
   */
  BudgetBook apply(BudgetEvent event) {
    BudgetBook next =
        new BudgetBook(
            new LinkedHashMap<>(budgets),
            new LinkedHashMap<>(windows),
            event instanceof BudgetEvent.SpendRecorded ? new LinkedHashSet<>(recent) : recent);
    return next.applyInPlace(event);
  }

  private BudgetBook applyInPlace(BudgetEvent event) {
    if (event instanceof BudgetEvent.BudgetSet e) {
      Budget before = budgets.put(e.budget().name(), e.budget());
      Budget now = e.budget();
      if (before != null
          && (before.scope() != now.scope()
              || !before.target().equals(now.target())
              || before.metric() != now.metric()
              || before.period() != now.period())) {
        windows.remove(now.name());
      }
    } else if (event instanceof BudgetEvent.BudgetRemoved e) {
      budgets.remove(e.name());
      windows.remove(e.name());
    } else if (event instanceof BudgetEvent.SpendRecorded e) {
      Spend s = e.spend();
      recent.add(s.key());
      if (recent.size() > REMEMBERED) {
        recent.remove(recent.iterator().next());
      }
      for (Budget b : budgets.values()) {
        if (b.covers(s)) {
          Window w = current(b, s.at());
          windows.put(b.name(), new Window(w.start(), w.spent() + b.amount(s), w.tasks() + 1));
        }
      }
    }
    return this;
  }

  /**
   * The window of the period holding {@code at}: empty when the last one has passed. A spend timed
   * before the current window (a late report, a skewed clock) counts in the current one.
   */
  private Window current(Budget b, Instant at) {
    Instant start = b.period().start(at);
    Window w = windows.get(b.name());
    return w != null && !w.start().isBefore(start) ? w : new Window(start, 0, 0);
  }

  public List<BudgetStatus> status(Instant now) {
    List<BudgetStatus> out = new ArrayList<>();
    for (Budget b : budgets.values()) {
      Window w = current(b, now);
      out.add(
          new BudgetStatus(
              b, w.spent(), w.tasks(), w.start(), b.period().end(w.start()), exhausted(b, w)));
    }
    return out;
  }

  public List<Hold> holds(Instant now) {
    List<Hold> out = new ArrayList<>();
    for (BudgetStatus s : status(now)) {
      if (s.exhausted()) {
        Budget b = s.budget();
        out.add(
            new Hold(
                b.name(), b.scope(), b.target(), b.metric(), s.spent(), b.limit(), s.resetsAt()));
      }
    }
    return out;
  }

  private static boolean exhausted(Budget b, Window w) {
    double next = w.tasks() == 0 ? 0 : w.spent() / w.tasks();
    return w.spent() >= b.limit() || w.spent() + next > b.limit();
  }
}
