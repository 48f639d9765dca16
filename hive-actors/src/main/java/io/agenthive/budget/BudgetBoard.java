package io.agenthive.budget;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import io.agenthive.common.Board;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * This node's copy of the ledger's {@link BudgetLedger.Snapshot} (a {@link Board}), for reads (the
 * API, metrics) that ask no actor. It subscribes every second, so a period that ended shows within
 * a second and a ledger that moved is found again. Holds go to {@code holds} when they change, and
 * every {@link #REPEAT} snapshots anyway, so a matcher that restarted has them.
 */
public final class BudgetBoard {
  static final Duration RESUBSCRIBE = Duration.ofSeconds(1);
  static final int REPEAT = 5;

  private BudgetBoard() {}

  public static Behavior<Object> create(
      ActorRef<BudgetLedger.Command> ledger,
      AtomicReference<BudgetLedger.Snapshot> latest,
      Consumer<List<Hold>> holds) {
    int[] sinceSent = {0}; // the board calls back one snapshot at a time
    return Board.create(
        BudgetLedger.Snapshot.class,
        RESUBSCRIBE,
        self -> ledger.tell(new BudgetLedger.Subscribe(self)),
        s -> {
          BudgetLedger.Snapshot before = latest.getAndSet(s);
          boolean changed = before == null || !before.holds().equals(s.holds());
          if (changed || ++sinceSent[0] >= REPEAT) {
            sinceSent[0] = 0;
            holds.accept(s.holds());
          }
        });
  }
}
