package io.agenthive.matcher;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import io.agenthive.matcher.MatcherProtocol.Command;
import io.agenthive.matcher.MatcherProtocol.WakeDue;
import io.agenthive.task.TaskEntity;
import io.agenthive.task.TaskProtocol;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * The matcher's side of {@link Wakeups}: one timer for the earliest wake-up, the tasks told to look
 * when it fires, and what their answers say. Apart from {@link TaskMatcher} so that file stays
 * about matching.
 */
final class WakeupTimer {
  // at most this many wake-ups go out per turn (a backlog of due timers after a long stop drains
  // in turns, between which the matcher answers everything else)
  private static final int WAKE_BATCH = 500;
  // a wake-up its entity did not act on (moving, or no room in the queue) is sent again after this
  private static final Duration WAKE_AGAIN = Duration.ofSeconds(5);
  // Akka's scheduler refuses delays of more than about 248 days: a later wake-up is looked at
  // again after this, and the timer armed anew
  static final Duration LONGEST_WAKE_TIMER = Duration.ofDays(1);

  private final Wakeups wakeups = new Wakeups();
  // tasks told to look and not heard of since: only their answer may set their time (a change
  // the task journaled afterwards is newer, and an answer that arrives after it is stale)
  private final Set<String> awaitingWoken = new HashSet<>();
  private final TimerScheduler<Command> timers;
  private final ClusterSharding sharding;
  private final Clock clock;
  private final ActorRef<TaskProtocol.Woken> answers;
  private Instant armedFor;

  WakeupTimer(
      TimerScheduler<Command> timers,
      ClusterSharding sharding,
      Clock clock,
      ActorRef<TaskProtocol.Woken> answers) {
    this.timers = timers;
    this.sharding = sharding;
    this.clock = clock;
    this.answers = answers;
  }

  /** The wake-ups of a rebuilt picture. */
  void rebuild(Backlog.Snapshot snapshot) {
    snapshot.wakeups().forEach(wakeups::set);
  }

  /**
   * A wake-up the journal has and the matcher lacks (its change was lost) is adopted; one that is
   * stale by now costs one look by its task, whose answer drops it.
   */
  void adopt(Backlog.Snapshot snapshot) {
    if (snapshot != null) {
      snapshot.wakeups().forEach(wakeups::adopt);
    }
  }

  /** A task's journaled change: its time now (null for none) is the newest word. */
  void changed(String taskId, Instant wakeAt) {
    wakeups.set(taskId, wakeAt);
    awaitingWoken.remove(taskId);
  }

  /** Tells each task whose time came to look; then waits for the next one. */
  void wakeDue() {
    armedFor = null;
    Instant now = clock.instant();
    for (String taskId : wakeups.due(now, now.plus(WAKE_AGAIN), WAKE_BATCH)) {
      awaitingWoken.add(taskId);
      sharding.entityRefFor(TaskEntity.TYPE_KEY, taskId).tell(new TaskProtocol.Wake(answers));
    }
    arm();
  }

  /**
   * Keeps what the task says: its next time, or none. A time already past means it could not act
   * yet, and the resend already planned stays.
   */
  void answered(TaskProtocol.Woken w) {
    if (!awaitingWoken.remove(w.taskId())) {
      return; // its change came first: that is the newer word
    }
    if (w.wakeAt() == null || w.wakeAt().isAfter(clock.instant())) {
      wakeups.set(w.taskId(), w.wakeAt());
      arm();
    }
  }

  /** One timer, for the earliest wake-up; re-armed only when that changes. */
  void arm() {
    Instant next = wakeups.next();
    if (next == null || next.equals(armedFor)) {
      return;
    }
    armedFor = next;
    Duration in = Duration.between(clock.instant(), next);
    if (in.compareTo(LONGEST_WAKE_TIMER) > 0) {
      in = LONGEST_WAKE_TIMER; // nothing is due then: wakeDue finds none and arms again
    }
    timers.startSingleTimer("wake", WakeDue.INSTANCE, in.isNegative() ? Duration.ZERO : in);
  }
}
