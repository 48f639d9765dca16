package io.agenthive.schedule;

import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.pattern.StatusReply;
import akka.persistence.typed.javadsl.EffectFactories;
import akka.persistence.typed.javadsl.ReplyEffect;
import io.agenthive.common.HiveException;
import io.agenthive.common.Refusal;
import io.agenthive.schedule.ScheduleEvent.*;
import io.agenthive.schedule.ScheduleProtocol.*;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The keeper's command handlers. A schedule is evaluated ({@link Due}) whenever it changes, after
 * each slot it handled and when its timer fires; at most one of its slots is in flight at a time
 * (submitted, not yet journaled), so slots fire in order and none twice from this incarnation.
 */
final class ScheduleCommands {
  /** Schedules one hub keeps at most: each holds a timer and a history. */
  static final int MAX_SCHEDULES = 100;

  private final ScheduleKeeper keeper;
  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final SlotSubmitter submitter;
  private final Clock clock;
  private final ScheduleMetrics metrics;
  // not journaled: a restarted keeper re-submits under the same key, which names the same task
  private final Set<String> inFlight = new HashSet<>();

  ScheduleCommands(
      ScheduleKeeper keeper,
      ActorContext<Command> ctx,
      TimerScheduler<Command> timers,
      SlotSubmitter submitter,
      Clock clock,
      ScheduleMetrics metrics) {
    this.keeper = keeper;
    this.ctx = ctx;
    this.timers = timers;
    this.submitter = submitter;
    this.clock = clock;
    this.metrics = metrics;
  }

  private EffectFactories<ScheduleEvent, ScheduleBook> effect() {
    return keeper.effects();
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  void evaluateAll(ScheduleBook book) {
    book.schedules().keySet().forEach(name -> ctx.getSelf().tell(new Due(name)));
  }

  private void evaluate(String name) {
    ctx.getSelf().tell(new Due(name));
  }

  private static <T> StatusReply<T> notFound(String name) {
    return StatusReply.error(new Refusal.NotFound("schedule " + name + " not found"));
  }

  ReplyEffect<ScheduleEvent, ScheduleBook> create(ScheduleBook book, Create cmd) {
    String name = cmd.spec().name();
    if (book.get(name) != null) {
      return effect()
          .reply(
              cmd.replyTo(),
              StatusReply.error(new Refusal.Conflict("schedule " + name + " already exists")));
    }
    if (book.schedules().size() >= MAX_SCHEDULES) {
      return effect()
          .reply(
              cmd.replyTo(),
              StatusReply.error(
                  new Refusal.Conflict("the hub keeps at most " + MAX_SCHEDULES + " schedules")));
    }
    return effect()
        .persist(new ScheduleCreated(cmd.spec(), now(), cmd.by()))
        .thenRun(b -> evaluate(name))
        .thenReply(cmd.replyTo(), b -> StatusReply.success(b.get(name)));
  }

  ReplyEffect<ScheduleEvent, ScheduleBook> update(ScheduleBook book, Update cmd) {
    String name = cmd.spec().name();
    if (book.get(name) == null) {
      return effect().reply(cmd.replyTo(), notFound(name));
    }
    return effect()
        .persist(new ScheduleUpdated(cmd.spec(), now(), cmd.by()))
        .thenRun(b -> evaluate(name))
        .thenReply(cmd.replyTo(), b -> StatusReply.success(b.get(name)));
  }

  ReplyEffect<ScheduleEvent, ScheduleBook> pause(ScheduleBook book, Pause cmd) {
    ScheduleEntry e = book.get(cmd.name());
    if (e == null || e.spec().paused()) {
      return effect()
          .reply(cmd.replyTo(), e == null ? notFound(cmd.name()) : StatusReply.success(e));
    }
    return effect()
        .persist(new SchedulePaused(cmd.name(), now(), cmd.by()))
        .thenRun(b -> timers.cancel(cmd.name()))
        .thenReply(cmd.replyTo(), b -> StatusReply.success(b.get(cmd.name())));
  }

  ReplyEffect<ScheduleEvent, ScheduleBook> resume(ScheduleBook book, Resume cmd) {
    ScheduleEntry e = book.get(cmd.name());
    if (e == null || !e.spec().paused()) {
      return effect()
          .reply(cmd.replyTo(), e == null ? notFound(cmd.name()) : StatusReply.success(e));
    }
    return effect()
        .persist(new ScheduleResumed(cmd.name(), now(), cmd.by()))
        .thenRun(b -> evaluate(cmd.name()))
        .thenReply(cmd.replyTo(), b -> StatusReply.success(b.get(cmd.name())));
  }

  ReplyEffect<ScheduleEvent, ScheduleBook> delete(ScheduleBook book, Delete cmd) {
    if (book.get(cmd.name()) == null) {
      return effect().reply(cmd.replyTo(), notFound(cmd.name()));
    }
    return effect()
        .persist(new ScheduleDeleted(cmd.name(), now(), cmd.by()))
        .thenRun(b -> timers.cancel(cmd.name()))
        .thenReply(cmd.replyTo(), b -> StatusReply.success(cmd.name()));
  }

  ReplyEffect<ScheduleEvent, ScheduleBook> get(ScheduleBook book, Get cmd) {
    ScheduleEntry e = book.get(cmd.name());
    return effect().reply(cmd.replyTo(), e == null ? notFound(cmd.name()) : StatusReply.success(e));
  }

  ReplyEffect<ScheduleEvent, ScheduleBook> list(ScheduleBook book, ListAll cmd) {
    return effect().reply(cmd.replyTo(), new Listing(List.copyOf(book.schedules().values())));
  }

  /** A manual slot now, under its own key: it does not move the schedule's slots. */
  ReplyEffect<ScheduleEvent, ScheduleBook> trigger(ScheduleBook book, Trigger cmd) {
    ScheduleEntry e = book.get(cmd.name());
    if (e == null) {
      return effect().reply(cmd.replyTo(), notFound(cmd.name()));
    }
    Instant slot = now();
    ctx.pipeToSelf(
        submitter.submit(SlotKeys.keyed(e.spec().task(), SlotKeys.manual(cmd.name(), slot))),
        (taskId, why) -> new ManualDone(cmd.name(), slot, taskId, why, cmd.replyTo()));
    return effect().noReply();
  }

  ReplyEffect<ScheduleEvent, ScheduleBook> manualDone(ScheduleBook book, ManualDone cmd) {
    if (cmd.why() != null) {
      return effect().reply(cmd.replyTo(), StatusReply.error(refusal(cmd.why())));
    }
    Instant at = now();
    SlotRecord line = new SlotRecord(cmd.slot(), SlotRecord.MANUAL, cmd.taskId(), 1, at);
    if (book.get(cmd.name()) == null) {
      return effect().reply(cmd.replyTo(), StatusReply.success(line)); // deleted meanwhile
    }
    return effect()
        .persist(new SlotFired(cmd.name(), cmd.slot(), true, cmd.taskId(), at))
        .thenRun(b -> metrics.fired(true, Duration.between(cmd.slot(), at)))
        .thenReply(cmd.replyTo(), b -> StatusReply.success(line));
  }

  /** Evaluates one schedule: gives up missed slots, starts the next due one, or arms its timer. */
  ReplyEffect<ScheduleEvent, ScheduleBook> due(ScheduleBook book, Due cmd) {
    ScheduleEntry e = book.get(cmd.name());
    if (e == null || e.spec().paused()) {
      timers.cancel(cmd.name());
      return effect().noReply();
    }
    if (inFlight.contains(cmd.name())) {
      return effect().noReply(); // evaluated again once the slot in flight is journaled
    }
    Instant now = now();
    SlotPlan plan = SlotPlan.at(e, now);
    if (plan.missed() > 0) {
      return effect()
          .persist(
              new SlotsSkipped(
                  cmd.name(), plan.lastMissed(), plan.missed(), SlotRecord.MISSED, now))
          .thenRun(
              b -> {
                metrics.missed(SlotRecord.MISSED, plan.missed());
                evaluate(cmd.name());
              })
          .thenNoReply();
    }
    if (!plan.fire().isEmpty()) {
      start(e, plan.fire().get(0));
      return effect().noReply();
    }
    ScheduleTimes.of(e.spec())
        .after(now.isAfter(e.handledUpTo()) ? now : e.handledUpTo())
        .ifPresent(next -> arm(cmd.name(), Duration.between(now, next)));
    return effect().noReply();
  }

  private void arm(String name, Duration delay) {
    Duration d = delay.isNegative() ? Duration.ZERO : delay;
    timers.startSingleTimer(
        name,
        new Due(name),
        d.compareTo(ScheduleKeeper.LONGEST_TIMER) > 0 ? ScheduleKeeper.LONGEST_TIMER : d);
  }

  private void start(ScheduleEntry e, Instant slot) {
    String name = e.spec().name();
    inFlight.add(name);
    if (e.spec().overlap() == ScheduleSpec.Overlap.SKIP && e.lastTaskId() != null) {
      ctx.pipeToSelf(
          submitter.ended(e.lastTaskId()),
          (ended, why) -> new OverlapChecked(name, slot, why == null ? ended : null));
    } else {
      submit(e, slot);
    }
  }

  private void submit(ScheduleEntry e, Instant slot) {
    String name = e.spec().name();
    ctx.pipeToSelf(
        submitter.submit(SlotKeys.keyed(e.spec().task(), SlotKeys.scheduled(name, slot))),
        (taskId, why) ->
            why == null ? new SlotAccepted(name, slot, taskId) : new SlotRefused(name, slot, why));
  }

  ReplyEffect<ScheduleEvent, ScheduleBook> overlapChecked(ScheduleBook book, OverlapChecked cmd) {
    ScheduleEntry e = book.get(cmd.name());
    if (e == null || cmd.ended() == null) {
      return retry(cmd.name(), "could not tell whether the previous slot's task ended");
    }
    if (cmd.ended()) {
      submit(e, cmd.slot());
      return effect().noReply();
    }
    return effect()
        .persist(new SlotsSkipped(cmd.name(), cmd.slot(), 1, SlotRecord.OVERLAP, now()))
        .thenRun(
            b -> {
              inFlight.remove(cmd.name());
              metrics.missed(SlotRecord.OVERLAP, 1);
              evaluate(cmd.name());
            })
        .thenNoReply();
  }

  ReplyEffect<ScheduleEvent, ScheduleBook> accepted(ScheduleBook book, SlotAccepted cmd) {
    if (book.get(cmd.name()) == null) {
      inFlight.remove(cmd.name());
      return effect().noReply(); // deleted while its slot was submitted: the task stands alone
    }
    Instant at = now();
    return effect()
        .persist(new SlotFired(cmd.name(), cmd.slot(), false, cmd.taskId(), at))
        .thenRun(
            b -> {
              inFlight.remove(cmd.name());
              metrics.fired(false, Duration.between(cmd.slot(), at));
              evaluate(cmd.name());
            })
        .thenNoReply();
  }

  ReplyEffect<ScheduleEvent, ScheduleBook> refused(ScheduleBook book, SlotRefused cmd) {
    return retry(cmd.name(), "slot " + cmd.slot() + " was not accepted: " + cmd.why().getMessage());
  }

  /** The slot stays due: the next evaluation, a second later, starts it again. */
  private ReplyEffect<ScheduleEvent, ScheduleBook> retry(String name, String why) {
    ctx.getLog().warn("schedule {}: {}; trying again in {}", name, why, ScheduleKeeper.RETRY);
    inFlight.remove(name);
    arm(name, ScheduleKeeper.RETRY);
    return effect().noReply();
  }

  private static Refusal refusal(Throwable why) {
    Throwable cause =
        why instanceof java.util.concurrent.CompletionException c ? c.getCause() : why;
    if (cause instanceof HiveException h) {
      return switch (h.kind()) {
        case QUEUE_FULL -> new Refusal.QueueFull(h.getMessage());
        case NOT_FOUND -> new Refusal.NotFound(h.getMessage());
        case INVALID, CONFLICT -> new Refusal.Conflict(h.getMessage());
        case UNAVAILABLE -> new Refusal.Unavailable(h.getMessage());
      };
    }
    return new Refusal.Unavailable("the task was not accepted: " + cause.getMessage());
  }
}
