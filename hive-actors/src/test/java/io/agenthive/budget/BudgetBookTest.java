package io.agenthive.budget;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The ledger's arithmetic: holds that look one task ahead, periods, late spends, changes. */
class BudgetBookTest {
  static final Instant T = Instant.parse("2026-12-02T10:15:00Z");

  static Budget hourly(double limit) {
    return new Budget(
        "b", Budget.Scope.AGENT, "a1", Budget.Metric.TOKENS, limit, Budget.Period.HOUR);
  }

  static BudgetEvent spend(String task, long tokens, Instant at) {
    return new BudgetEvent.SpendRecorded(new Spend(task, 1, "a1", null, null, null, tokens, 0, at));
  }

  @Test
  void holdsWhenOneMoreTaskLikeTheOthersWouldPassTheLimitAndResetsWithThePeriod() {
    BudgetBook book = BudgetBook.empty().apply(new BudgetEvent.BudgetSet(hourly(1000), T, "x"));
    book = book.apply(spend("t1", 300, T)).apply(spend("t2", 300, T));
    assertTrue(book.holds(T).isEmpty(), "600 + 300 fits");
    BudgetBook before = book;
    book = book.apply(spend("t3", 300, T));
    assertTrue(before.holds(T).isEmpty(), "the earlier book is not changed");
    Hold h = book.holds(T).get(0);
    assertEquals(900, h.spent());
    assertEquals(Instant.parse("2026-12-02T11:00:00Z"), h.resetsAt());
    assertTrue(book.holds(T.plusSeconds(3600)).isEmpty(), "a new hour starts empty");
    assertTrue(book.seen(new Spend("t3", 1, "a1", null, null, null, 300, 0, T)));
  }

  @Test
  void aLateSpendCountsInTheCurrentWindowAndAChangedBudgetStartsAfresh() {
    BudgetBook book = BudgetBook.empty().apply(new BudgetEvent.BudgetSet(hourly(1000), T, "x"));
    book = book.apply(spend("now", 500, T.plusSeconds(3600)));
    book = book.apply(spend("late", 200, T)); // timed in the hour before
    assertEquals(700, book.status(T.plusSeconds(3600)).get(0).spent());
    book = book.apply(new BudgetEvent.BudgetSet(hourly(5000), T.plusSeconds(3601), "x"));
    assertEquals(700, book.status(T.plusSeconds(3601)).get(0).spent(), "a raised limit keeps it");
    Budget daily =
        new Budget("b", Budget.Scope.AGENT, "a1", Budget.Metric.TOKENS, 5000, Budget.Period.DAY);
    book = book.apply(new BudgetEvent.BudgetSet(daily, T.plusSeconds(3602), "x"));
    assertEquals(0, book.status(T.plusSeconds(3602)).get(0).spent(), "a new period starts afresh");
  }
}
