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
import java.util.List;

/**
 * The keeper's handlers of requests: create, change, pause, resume, delete, read, trigger. Each
 * change has the schedule evaluated again ({@link Due}, handled by {@link SlotFiring}).
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
        submitter.submit(e.spec(), SlotKeys.manual(cmd.name(), slot)),
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

  private static Refusal refusal(Throwable why) {
    Throwable cause =
        why instanceof java.util.concurrent.CompletionException c ? c.getCause() : why;
    if (cause instanceof HiveException h) {
      return switch (h.kind()) {
        case QUEUE_FULL -> new Refusal.QueueFull(h.getMessage());
        case NOT_FOUND -> new Refusal.NotFound(h.getMessage());
        case INVALID, CONFLICT -> new Refusal.Conflict(h.getMessage());
        case UNAVAILABLE -> new Refusal.Unavailable(h.getMessage());
        case FORBIDDEN -> new Refusal.Forbidden(h.getMessage());
      };
    }
    return new Refusal.Unavailable("the task was not accepted: " + cause.getMessage());
  }
}
