package io.agenthive.matcher;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import io.agenthive.common.HiveSettings;
import io.agenthive.matcher.MatcherProtocol.Command;
import io.agenthive.matcher.MatcherProtocol.Reconcile;
import io.agenthive.matcher.MatcherProtocol.Reconciled;
import io.agenthive.metrics.HiveMetrics;
import io.agenthive.task.TaskQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * The matcher's side of {@link Reconciliation}: every {@code reconcile-interval}, and soon after a
 * member joins or leaves, it reads the backlog (one read at a time, off the actor's thread) while
 * noting what the matcher hears meanwhile, then mends the picture with what is still current. Each
 * mend is logged once with its task (or agent) and counted ({@code hive_tasks_reconciled_total}),
 * so a lost message becomes a visible, bounded delay. Off for a backlog that knows nothing (hives
 * without a read side) or an interval of 0.
 *
 * <p>A look reads the whole backlog, so its cost grows with the waiting tasks (about a second at
 * 100,000): the next look waits at least {@link #PACE} times as long as the last one took, which
 * keeps reconciliation under 5% of the hub's time however large the backlog grows.
 */
final class Reconciler {
  private static final Duration SOON = Duration.ofSeconds(2);
  static final int PACE = 20;
  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final Duration interval;
  private final Backlog backlog;
  private final Matching matching;
  private final HiveMetrics metrics;
  // what the matcher heard while a snapshot was read: non-null only then
  private Set<String> touched;
  private boolean quiet;
  private long began;

  Reconciler(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      HiveSettings settings,
      Backlog backlog,
      Matching matching) {
    this.context = context;
    this.timers = timers;
    this.interval = settings.reconcileInterval();
    this.backlog = backlog;
    this.matching = matching;
    this.metrics = HiveMetrics.get(context.getSystem());
  }

  private boolean enabled() {
    return backlog.reconcilable() && !interval.isZero();
  }

  /** From now on, every interval (the rebuild that precedes it was the first look). */
  void start() {
    if (enabled()) {
      timers.startSingleTimer("reconcile", Reconcile.INSTANCE, interval);
    }
  }

  /** The interval, or {@link #PACE} times what the last look took when that is longer. */
  static Duration nextAfter(Duration interval, Duration took) {
    Duration paced = took.multipliedBy(PACE);
    return paced.compareTo(interval) > 0 ? paced : interval;
  }

  /** A look soon, after membership changed (shards and agents are moving). */
  void soon() {
    if (enabled()) {
      timers.startSingleTimer("reconcile-soon", Reconcile.INSTANCE, SOON);
    }
  }

  Behavior<Command> begin() {
    if (touched == null && enabled()) {
      touched = new HashSet<>();
      quiet = true;
      began = System.nanoTime();
      context.pipeToSelf(backlog.load(), Reconciled::new);
    }
    return Behaviors.same();
  }

  /** The matcher heard of this task or agent: the snapshot being read may be older. */
  void touched(String id) {
    if (touched != null) {
      touched.add(id);
    }
  }

  /**
   * A task's change: the task moved, and an outcome in it added to its agent's record (which the
   * snapshot being read may not have yet either).
   */
  void heard(TaskQueue.TaskChange change) {
    moved(change.taskId());
    if (change.agentOutcome() != null) {
      touched(change.agentOutcome().agentId());
    }
  }

  /** A task moved: its counts in the snapshot being read may be stale too. */
  void moved(String taskId) {
    if (touched != null) {
      touched.add(taskId);
      quiet = false;
    }
  }

  void finish(Reconciled done, Instant now) {
    Set<String> heard = touched;
    touched = null;
    if (done.error() != null) {
      context
          .getLog()
          .warn("The matcher could not read the backlog to reconcile; next try in {}", interval);
      timers.startSingleTimer("reconcile", Reconcile.INSTANCE, interval);
      return;
    }
    for (Reconciliation.Repair r :
        matching.reconciliation().reconcile(done.snapshot(), heard, quiet, now)) {
      repaired(r.kind(), r.id(), "the journal said so, the matcher had it otherwise");
    }
    Duration next = nextAfter(interval, Duration.ofNanos(System.nanoTime() - began));
    timers.startSingleTimer("reconcile", Reconcile.INSTANCE, next);
  }

  /** Logs and counts one mend. */
  void repaired(String kind, String id, String why) {
    metrics.reconciled(kind);
    context.getLog().info("Reconciled [{}] ({}): {}", id, kind, why);
  }
}
