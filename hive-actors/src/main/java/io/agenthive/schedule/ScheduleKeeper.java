package io.agenthive.schedule;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.RecoveryCompleted;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.RetentionCriteria;
import akka.persistence.typed.javadsl.SignalHandler;
import io.agenthive.common.HiveSettings;
import io.agenthive.common.Singletons;
import io.agenthive.schedule.ScheduleProtocol.*;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/**
 * Every schedule, journaled, and their timers: one cluster singleton. Its timers live only in this
 * actor; when it restarts or moves to another node it replays its journal, and each schedule is
 * evaluated at once: the slots since the last one it journaled are fired or given up as the
 * schedule's {@code catch_up} says. Each slot is submitted under an idempotency key naming the
 * slot, and journaled as fired only after the task was accepted, so a slot is never lost and never
 * makes two tasks. Requests are handled in {@link ScheduleCommands}, slots in {@link SlotFiring}.
 */
public final class ScheduleKeeper
    extends EventSourcedBehaviorWithEnforcedReplies<Command, ScheduleEvent, ScheduleBook> {
  public static final String NAME = "schedule-keeper";

  /** A refused submission or an unanswered overlap check is tried again after this long. */
  static final Duration RETRY = Duration.ofSeconds(1);

  /** Timers further out are re-armed on the way: a long delay gains nothing. */
  static final Duration LONGEST_TIMER = Duration.ofHours(1);

  private final HiveSettings settings;
  private final Set<String> tags;
  private final ScheduleCommands commands;
  private final SlotFiring firing;

  public static ActorRef<Command> init(
      ActorSystem<?> system, HiveSettings settings, SlotSubmitter submitter, Clock clock) {
    return Singletons.init(system, settings, NAME, create(settings, submitter, clock));
  }

  public static Behavior<Command> create(
      HiveSettings settings, SlotSubmitter submitter, Clock clock) {
    return Behaviors.withTimers(
        timers ->
            Behaviors.setup(ctx -> new ScheduleKeeper(ctx, timers, settings, submitter, clock)));
  }

  private ScheduleKeeper(
      ActorContext<Command> ctx,
      TimerScheduler<Command> timers,
      HiveSettings settings,
      SlotSubmitter submitter,
      Clock clock) {
    super(PersistenceId.ofUniqueId("Schedules|hive"), settings.journalFailureBackoff());
    this.settings = settings;
    this.tags = settings.tagsFor(persistenceId().id());
    ScheduleMetrics metrics = ScheduleMetrics.get(ctx.getSystem());
    this.commands = new ScheduleCommands(this, ctx, timers, submitter, clock, metrics);
    this.firing = new SlotFiring(this, ctx, timers, submitter, clock, metrics);
  }

  @Override
  public ScheduleBook emptyState() {
    return ScheduleBook.empty();
  }

  @Override
  public Set<String> tagsFor(ScheduleEvent event) {
    return tags;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    // a fired slot per schedule and interval adds up: recover from a snapshot and what followed
    return RetentionCriteria.snapshotEvery(settings.snapshotEvery(), 2);
  }

  @Override
  public SignalHandler<ScheduleBook> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), book -> commands.evaluateAll(book))
        .build();
  }

  @Override
  public CommandHandlerWithReply<Command, ScheduleEvent, ScheduleBook> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Create.class, commands::create)
        .onCommand(Update.class, commands::update)
        .onCommand(Pause.class, commands::pause)
        .onCommand(Resume.class, commands::resume)
        .onCommand(Delete.class, commands::delete)
        .onCommand(Trigger.class, commands::trigger)
        .onCommand(ManualDone.class, commands::manualDone)
        .onCommand(Get.class, commands::get)
        .onCommand(ListAll.class, commands::list)
        .onCommand(Due.class, firing::due)
        .onCommand(OverlapChecked.class, firing::overlapChecked)
        .onCommand(SlotAccepted.class, firing::accepted)
        .onCommand(SlotRefused.class, firing::refused)
        .build();
  }

  @Override
  public EventHandler<ScheduleBook, ScheduleEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(ScheduleBook::apply);
  }

  // the builders are protected in the superclass: ScheduleCommands makes its effects through these
  akka.persistence.typed.javadsl.EffectFactories<ScheduleEvent, ScheduleBook> effects() {
    return Effect();
  }
}
