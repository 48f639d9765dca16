package io.agenthive.budget;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import io.agenthive.common.LocalOnly;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * This node's copy of the ledger's {@link BudgetLedger.Snapshot}, for reads (the API, metrics) that
 * ask no actor. It subscribes every second, so a period that ended shows within a second and a
 * ledger that moved is found again. Holds go to {@code holds} when they change, and every {@link
 * #REPEAT} anyway, so a matcher that restarted has them.
 */
public final class BudgetBoard {
  static final Duration RESUBSCRIBE = Duration.ofSeconds(1);
  static final int REPEAT = 5;

  private enum Resubscribe implements LocalOnly {
    INSTANCE
  }

  private BudgetBoard() {}

  public static Behavior<Object> create(
      ActorRef<BudgetLedger.Command> ledger,
      AtomicReference<BudgetLedger.Snapshot> latest,
      Consumer<List<Hold>> holds) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> {
                  ActorRef<BudgetLedger.Snapshot> self = ctx.getSelf().narrow();
                  ledger.tell(new BudgetLedger.Subscribe(self));
                  timers.startTimerWithFixedDelay(Resubscribe.INSTANCE, RESUBSCRIBE);
                  int[] sinceSent = {0};
                  return Behaviors.receive(Object.class)
                      .onMessage(
                          BudgetLedger.Snapshot.class,
                          s -> {
                            BudgetLedger.Snapshot before = latest.getAndSet(s);
                            boolean changed = before == null || !before.holds().equals(s.holds());
                            if (changed || ++sinceSent[0] >= REPEAT) {
                              sinceSent[0] = 0;
                              holds.accept(s.holds());
                            }
                            return Behaviors.same();
                          })
                      .onMessageEquals(
                          Resubscribe.INSTANCE,
                          () -> {
                            ledger.tell(new BudgetLedger.Subscribe(self));
                            return Behaviors.same();
                          })
                      .build();
                }));
  }
}
