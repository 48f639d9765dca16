package io.agenthive.cluster;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Down;
import com.typesafe.config.Config;
import java.time.Duration;
import java.util.stream.StreamSupport;

/**
 * A node whose process was stopped (SIGSTOP, {@code docker pause}) for about as long as the other
 * members need to down a member leaves the cluster when it runs again.
 *
 * <p>Why: while it was stopped, the others may have marked it unreachable, downed it and started
 * its shards and singletons elsewhere. When it wakes, its own view is the one from before the
 * pause, and the heartbeats still queued on its sockets can make one survivor look reachable and
 * another not. Its split brain resolver then decided, about two seconds after the node woke, that
 * it was on the majority side, downed the survivors in its own view, and went on as a second hive
 * on the same database (seen in a test that froze a node for 20 s). Akka expects such a node to
 * learn from the survivors that they quarantined it, but that message can sit behind a connection
 * that takes many seconds to fail.
 *
 * <p>So the guard ticks on the cluster's own dispatcher, beside the heartbeats. A tick that comes
 * later than the heartbeat interval plus the failure detector's acceptable pause plus the
 * resolver's stable-after (a little less than the soonest the others can have downed this node:
 * they also wait for the detector's margin and the resolver's next look) means the others may have:
 * the node downs itself, which runs the same coordinated shutdown as any downing, and the launcher
 * exits 1 to be restarted and join again. It errs on the safe side: a node that was only starved
 * that long, and not downed, leaves too. A node that is not up beside other members (alone, as the
 * embedded default is, or still joining, or leaving) logs the pause and carries on.
 */
public final class PauseGuard {
  private static final Duration TICK = Duration.ofMillis(250);

  private PauseGuard() {}

  private enum Tick {
    INSTANCE
  }

  /** Starts the guard as a system actor of {@code system}. */
  public static void start(ActorSystem<?> system) {
    system.systemActorOf(
        create(limit(system.settings().config())),
        "pause-guard",
        DispatcherSelector.fromConfig("akka.actor.internal-dispatcher"));
  }

  /** Just under the soonest the other members can have downed a node that stopped answering. */
  static Duration limit(Config config) {
    return config
        .getDuration("akka.cluster.failure-detector.heartbeat-interval")
        .plus(config.getDuration("akka.cluster.failure-detector.acceptable-heartbeat-pause"))
        .plus(config.getDuration("akka.cluster.split-brain-resolver.stable-after"));
  }

  private static Behavior<Tick> create(Duration limit) {
    return Behaviors.setup(
        ctx -> {
          ctx.setLoggerName(PauseGuard.class);
          return Behaviors.withTimers(
              timers -> {
                timers.startTimerWithFixedDelay(Tick.INSTANCE, TICK);
                return ticking(Cluster.get(ctx.getSystem()), limit, System.nanoTime());
              });
        });
  }

  /** {@code last}: when the previous tick ran ({@link System#nanoTime}). */
  private static Behavior<Tick> ticking(Cluster cluster, Duration limit, long last) {
    return Behaviors.receive(
        (ctx, tick) -> {
          long now = System.nanoTime();
          Duration gap = Duration.ofNanos(now - last);
          if (gap.compareTo(limit) <= 0) {
            return ticking(cluster, limit, now);
          }
          if (!upBesideOthers(cluster)) {
            ctx.getLog()
                .info(
                    "This node did not run for {} ms; it is not up beside other members (it is"
                        + " alone, joining or leaving), so it carries on",
                    gap.toMillis());
            return ticking(cluster, limit, now);
          }
          ctx.getLog()
              .warn(
                  "This node did not run for {} ms, about as long as the other members need to"
                      + " down a member ({} ms): they may have downed it and moved its work, so it"
                      + " leaves the cluster rather than act on what it saw before the pause; start"
                      + " it again to rejoin",
                  gap.toMillis(),
                  limit.toMillis());
          cluster.manager().tell(new Down(cluster.selfMember().address()));
          return Behaviors.stopped();
        });
  }

  /** Whether this node is up beside other members, whose view of it its pause may have changed. */
  private static boolean upBesideOthers(Cluster cluster) {
    var self = cluster.selfMember();
    if (self.status() != MemberStatus.up() && self.status() != MemberStatus.weaklyUp()) {
      return false; // joining, or already leaving the cluster
    }
    return StreamSupport.stream(cluster.state().getMembers().spliterator(), false)
        .anyMatch(m -> !m.equals(self));
  }
}
