package io.agenthive.budget;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.pattern.StatusReply;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.ReplyEffect;
import akka.persistence.typed.javadsl.RetentionCriteria;
import io.agenthive.common.CborSerializable;
import io.agenthive.common.HiveSettings;
import io.agenthive.common.LocalOnly;
import io.agenthive.common.Refusal;
import io.agenthive.common.Singletons;
import io.agenthive.common.Subscribers;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The budgets and every attempt's spend, journaled (a cluster singleton): changes and spending
 * survive restarts and replay. Subscribers (one {@link BudgetBoard} per node) get a {@link
 * Snapshot} when they subscribe, which they do every second, and after every change; the boards
 * hand the holds to the matcher, which dispatches nothing a hold covers.
 */
public final class BudgetLedger
    extends EventSourcedBehaviorWithEnforcedReplies<BudgetLedger.Command, BudgetEvent, BudgetBook> {
  public static final String NAME = "budget-ledger";

  public sealed interface Command extends CborSerializable {}

  public record SetBudget(Budget budget, String by, ActorRef<StatusReply<BudgetStatus>> replyTo)
      implements Command {}

  public record Remove(String name, String by, ActorRef<StatusReply<String>> replyTo)
      implements Command {}

  /** One attempt's spend; a repeat of one already counted changes nothing. */
  public record Record(Spend spend) implements Command {}

  public record Subscribe(ActorRef<Snapshot> subscriber) implements Command {}

  private record SubscriberGone(ActorRef<Snapshot> subscriber) implements Command, LocalOnly {}

  /** Every budget as it stands and the holds they make, at {@code at}. */
  public record Snapshot(List<BudgetStatus> budgets, List<Hold> holds, Instant at)
      implements CborSerializable {}

  private final HiveSettings settings;
  // its journal tags, the same for each of its events
  private final Set<String> tags;
  private final Clock clock;
  private final Subscribers<Snapshot, Command> subscribers;

  /** Starts the budget ledger singleton. */
  public static ActorRef<Command> init(ActorSystem<?> system, HiveSettings settings, Clock clock) {
    return Singletons.init(system, settings, NAME, create(settings, clock));
  }

  public static Behavior<Command> create(HiveSettings settings, Clock clock) {
    return Behaviors.setup(ctx -> new BudgetLedger(ctx, settings, clock));
  }

  private BudgetLedger(ActorContext<Command> context, HiveSettings settings, Clock clock) {
    super(PersistenceId.ofUniqueId("Budgets|hive"), settings.journalFailureBackoff());
    this.subscribers = new Subscribers<>(context, SubscriberGone::new);
    this.settings = settings;
    this.tags = settings.tagsFor(persistenceId().id());
    this.clock = clock;
  }

  @Override
  public BudgetBook emptyState() {
    return BudgetBook.empty();
  }

  @Override
  public Set<String> tagsFor(BudgetEvent event) {
    return tags;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    // a spend per attempt adds up: recovery reads a snapshot and what came after it
    return RetentionCriteria.snapshotEvery(settings.snapshotEvery(), 2);
  }

  @Override
  public CommandHandlerWithReply<Command, BudgetEvent, BudgetBook> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(SetBudget.class, this::onSet)
        .onCommand(Remove.class, this::onRemove)
        .onCommand(Record.class, this::onRecord)
        .onCommand(Subscribe.class, this::onSubscribe)
        .onCommand(
            SubscriberGone.class,
            (book, cmd) -> {
              subscribers.gone(cmd.subscriber());
              return Effect().noReply();
            })
        .build();
  }

  private ReplyEffect<BudgetEvent, BudgetBook> onSet(BudgetBook book, SetBudget cmd) {
    return Effect()
        .persist(new BudgetEvent.BudgetSet(cmd.budget(), clock.instant(), cmd.by()))
        .thenRun(this::publish)
        .thenReply(
            cmd.replyTo(),
            b ->
                StatusReply.success(
                    b.status(clock.instant()).stream()
                        .filter(s -> s.budget().name().equals(cmd.budget().name()))
                        .findFirst()
                        .orElseThrow()));
  }

  private ReplyEffect<BudgetEvent, BudgetBook> onRemove(BudgetBook book, Remove cmd) {
    if (!book.budgets().containsKey(cmd.name())) {
      return Effect()
          .reply(
              cmd.replyTo(),
              StatusReply.error(new Refusal.NotFound("budget " + cmd.name() + " not found")));
    }
    return Effect()
        .persist(new BudgetEvent.BudgetRemoved(cmd.name(), clock.instant(), cmd.by()))
        .thenRun(this::publish)
        .thenReply(cmd.replyTo(), b -> StatusReply.success(cmd.name()));
  }

  private ReplyEffect<BudgetEvent, BudgetBook> onRecord(BudgetBook book, Record cmd) {
    if (book.seen(cmd.spend())) {
      return Effect().noReply();
    }
    return Effect()
        .persist(new BudgetEvent.SpendRecorded(cmd.spend()))
        .thenRun(this::publish)
        .thenNoReply();
  }

  private ReplyEffect<BudgetEvent, BudgetBook> onSubscribe(BudgetBook book, Subscribe cmd) {
    subscribers.subscribe(cmd.subscriber(), snapshot(book));
    return Effect().noReply();
  }

  private void publish(BudgetBook book) {
    subscribers.publish(() -> snapshot(book));
  }

  private Snapshot snapshot(BudgetBook book) {
    var now = clock.instant();
    return new Snapshot(List.copyOf(book.status(now)), List.copyOf(book.holds(now)), now);
  }

  @Override
  public EventHandler<BudgetBook, BudgetEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(BudgetBook::apply);
  }
}
