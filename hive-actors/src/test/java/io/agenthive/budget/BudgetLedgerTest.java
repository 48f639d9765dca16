package io.agenthive.budget;

import static org.junit.jupiter.api.Assertions.*;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.pattern.StatusReply;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import com.typesafe.config.ConfigFactory;
import io.agenthive.common.HiveSettings;
import io.agenthive.common.Refusal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The budget ledger on its own: what each command journals and answers, a spend counted once per
 * attempt, holds published to subscribers, and recovery. (The arithmetic is BudgetBookTest's.)
 */
class BudgetLedgerTest {
  static final ActorTestKit kit =
      ActorTestKit.create(
          EventSourcedBehaviorTestKit.config()
              .withFallback(ConfigFactory.load("application-test")));
  static final HiveSettings settings = HiveSettings.from(kit.system().settings().config());
  static final Instant T = Instant.parse("2026-12-02T10:15:00Z");

  EventSourcedBehaviorTestKit<BudgetLedger.Command, BudgetEvent, BudgetBook> ledger;

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  @BeforeEach
  void create() {
    ledger =
        EventSourcedBehaviorTestKit.create(
            kit.system(), BudgetLedger.create(settings, Clock.fixed(T, ZoneOffset.UTC)));
    // one system for the class and a fixed persistence id: each test starts from an empty journal
    ledger.clear();
  }

  static Budget hourly(String name, double limit) {
    return new Budget(
        name, Budget.Scope.AGENT, "a1", Budget.Metric.TOKENS, limit, Budget.Period.HOUR);
  }

  static Spend spend(String task, long tokens) {
    return new Spend(task, 1, "a1", null, "user:ann", "m", tokens, 0, T);
  }

  BudgetStatus set(Budget budget) {
    var result =
        ledger.<StatusReply<BudgetStatus>>runCommand(
            r -> new BudgetLedger.SetBudget(budget, "user:ann", r));
    assertEquals(new BudgetEvent.BudgetSet(budget, T, "user:ann"), result.event());
    return result.reply().getValue();
  }

  @Test
  void aBudgetSetIsJournaledWithWhoAndWhenAndAnsweredWithItsStatus() {
    BudgetStatus status = set(hourly("b", 1000));
    assertEquals(hourly("b", 1000), status.budget());
    assertEquals(0, status.spent());
    assertEquals(Instant.parse("2026-12-02T10:00:00Z"), status.periodStart());
    assertEquals(Instant.parse("2026-12-02T11:00:00Z"), status.resetsAt());
    assertFalse(status.exhausted());
    assertEquals(List.of("b"), List.copyOf(ledger.getState().budgets().keySet()));
  }

  @Test
  void removingAnUnknownBudgetIsRefusedAsNotFoundAndJournalsNothing() {
    var result =
        ledger.<StatusReply<String>>runCommand(r -> new BudgetLedger.Remove("nope", "x", r));
    assertTrue(result.hasNoEvents());
    assertTrue(result.reply().isError());
    assertInstanceOf(Refusal.NotFound.class, result.reply().getError());

    set(hourly("b", 1000));
    var removed =
        ledger.<StatusReply<String>>runCommand(r -> new BudgetLedger.Remove("b", "user:ann", r));
    assertEquals(new BudgetEvent.BudgetRemoved("b", T, "user:ann"), removed.event());
    assertEquals("b", removed.reply().getValue());
    assertTrue(removed.state().budgets().isEmpty());
  }

  @Test
  void aSpendCountsOnceAndSubscribersSeeTheHoldItMakes() {
    TestProbe<BudgetLedger.Snapshot> board = kit.createTestProbe();
    ledger.runCommand(new BudgetLedger.Subscribe(board.getRef()));
    assertTrue(board.receiveMessage().budgets().isEmpty(), "a subscriber gets the book at once");
    set(hourly("b", 1000));
    assertTrue(board.receiveMessage().holds().isEmpty());

    var first = ledger.runCommand(new BudgetLedger.Record(spend("t1", 600)));
    assertEquals(new BudgetEvent.SpendRecorded(spend("t1", 600)), first.event());
    BudgetLedger.Snapshot after = board.receiveMessage();
    assertEquals(1, after.holds().size(), "600 + another 600 would pass 1000");
    assertEquals(600, after.holds().get(0).spent());

    var again = ledger.runCommand(new BudgetLedger.Record(spend("t1", 600)));
    assertTrue(again.hasNoEvents(), "the same attempt's spend reported twice counts once");
    assertEquals(600, again.state().status(T).get(0).spent());
    board.expectNoMessage();
  }

  @Test
  void recoveryRebuildsTheSameBookFromItsEvents() {
    set(hourly("b", 1000));
    set(hourly("c", 50));
    ledger.runCommand(new BudgetLedger.Record(spend("t1", 20)));
    ledger.runCommand(new BudgetLedger.Record(spend("t2", 40)));
    BudgetBook before = ledger.getState();
    assertEquals(60, before.status(T).get(1).spent(), "both spends count against c");
    var restarted = ledger.restart();
    assertEquals(before, restarted.state());
    assertTrue(restarted.state().seen(spend("t2", 40)), "a repeat is still known after recovery");
  }
}
