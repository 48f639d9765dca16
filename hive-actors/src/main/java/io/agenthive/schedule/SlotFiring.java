package io.agenthive.schedule;

import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.persistence.typed.javadsl.EffectFactories;
import akka.persistence.typed.javadsl.ReplyEffect;
import io.agenthive.schedule.ScheduleEvent.*;
import io.agenthive.schedule.ScheduleProtocol.*;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Set;

/**
 * The keeper's slot handling. A schedule is evaluated ({@link Due}) whenever it changes, after each
 * slot it handled and when its timer fires; at most one of its slots is in flight at a time
 * (submitted, not yet journaled), so slots fire in order and none twice from this incarnation.
 */
final class SlotFiring {
  private final ScheduleKeeper keeper;
  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final SlotSubmitter submitter;
  private final Clock clock;
  private final ScheduleMetrics metrics;
  // not journaled: a restarted keeper re-submits under the same key, which names the same task
  private final Set<String> inFlight = new HashSet<>();

  SlotFiring(
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

  private void evaluate(String name) {
    ctx.getSelf().tell(new Due(name));
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
          submitter.ended(e.spec(), e.lastTaskId()),
          (ended, why) -> new OverlapChecked(name, slot, why == null ? ended : null));
    } else {
      submit(e, slot);
    }
  }

  private void submit(ScheduleEntry e, Instant slot) {
    String name = e.spec().name();
    ctx.pipeToSelf(
        submitter.submit(e.spec(), SlotKeys.scheduled(name, slot)),
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
}
