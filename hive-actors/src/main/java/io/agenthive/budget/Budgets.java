package io.agenthive.budget;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Scheduler;
import akka.actor.typed.javadsl.AskPattern;
import akka.pattern.StatusReply;
import io.agenthive.access.Principal;
import io.agenthive.common.HiveException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Budgets: set, change or remove one (journaled by the ledger), and read them as this node's board
 * last heard (at most a second old) without asking an actor.
 */
public final class Budgets {
  private final ActorRef<BudgetLedger.Command> ledger;
  private final AtomicReference<BudgetLedger.Snapshot> latest;
  private final Duration timeout;
  private final Scheduler scheduler;

  public Budgets(
      ActorRef<BudgetLedger.Command> ledger,
      AtomicReference<BudgetLedger.Snapshot> latest,
      Duration timeout,
      Scheduler scheduler) {
    this.scheduler = scheduler;
    this.ledger = ledger;
    this.latest = latest;
    this.timeout = timeout;
  }

  /** Creates or changes the budget named {@code budget.name()}. */
  public CompletionStage<BudgetStatus> set(Budget budget, Principal by) {
    var errors = budget.validate();
    if (!errors.isEmpty()) {
      return CompletableFuture.failedFuture(HiveException.invalid(errors));
    }
    return HiveException.unwrap(
        AskPattern.ask(
            ledger,
            (ActorRef<StatusReply<BudgetStatus>> r) ->
                new BudgetLedger.SetBudget(budget, by.label(), r),
            timeout,
            scheduler));
  }

  public CompletionStage<String> remove(String name, Principal by) {
    return HiveException.unwrap(
        AskPattern.ask(
            ledger,
            (ActorRef<StatusReply<String>> r) -> new BudgetLedger.Remove(name, by.label(), r),
            timeout,
            scheduler));
  }

  /** Every budget with its spend in the current period (empty before the board first heard). */
  public List<BudgetStatus> all() {
    BudgetLedger.Snapshot s = latest.get();
    return s == null ? List.of() : s.budgets();
  }

  public List<Hold> holds() {
    BudgetLedger.Snapshot s = latest.get();
    return s == null ? List.of() : s.holds();
  }
}
