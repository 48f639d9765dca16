package io.agenthive.hive;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import io.agenthive.common.LocalOnly;
import io.agenthive.matcher.HiveCounts;
import io.agenthive.matcher.MatcherProtocol;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * This node's copy of the hive's counts, pushed by the matcher, so that status reads are a field
 * read instead of a question to an actor. It subscribes again every few seconds: a matcher that
 * restarted or moved to another node has forgotten its subscribers.
 */
final class CountsBoard {
  static final Duration RESUBSCRIBE = Duration.ofSeconds(2);

  private enum Resubscribe implements LocalOnly {
    INSTANCE
  }

  private CountsBoard() {}

  static Behavior<Object> create(
      ActorRef<MatcherProtocol.Command> matcher, AtomicReference<HiveCounts> latest) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> {
                  ActorRef<HiveCounts> self = ctx.getSelf().narrow();
                  matcher.tell(new MatcherProtocol.Subscribe(self));
                  timers.startTimerWithFixedDelay(Resubscribe.INSTANCE, RESUBSCRIBE);
                  return Behaviors.receive(Object.class)
                      .onMessage(
                          HiveCounts.class,
                          counts -> {
                            latest.set(counts);
                            return Behaviors.same();
                          })
                      .onMessageEquals(
                          Resubscribe.INSTANCE,
                          () -> {
                            matcher.tell(new MatcherProtocol.Subscribe(self));
                            return Behaviors.same();
                          })
                      .build();
                }));
  }
}
