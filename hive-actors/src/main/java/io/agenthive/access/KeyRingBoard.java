package io.agenthive.access;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import io.agenthive.common.LocalOnly;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * This node's copy of the key ring, pushed by the access registry on every key change, so each
 * request is checked without asking an actor. It subscribes again every half second: a registry
 * that restarted or moved has forgotten its subscribers, and a revoked key must be refused on every
 * node within a second.
 */
public final class KeyRingBoard {
  static final Duration RESUBSCRIBE = Duration.ofMillis(500);

  private enum Resubscribe implements LocalOnly {
    INSTANCE
  }

  private KeyRingBoard() {}

  public static Behavior<Object> create(
      ActorRef<AccessRegistry.Command> registry, AtomicReference<AccessRegistry.KeyRing> ring) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> {
                  ActorRef<AccessRegistry.KeyRing> self = ctx.getSelf().narrow();
                  registry.tell(new AccessRegistry.Subscribe(self));
                  timers.startTimerWithFixedDelay(Resubscribe.INSTANCE, RESUBSCRIBE);
                  return Behaviors.receive(Object.class)
                      .onMessage(
                          AccessRegistry.KeyRing.class,
                          r -> {
                            ring.set(r);
                            return Behaviors.same();
                          })
                      .onMessageEquals(
                          Resubscribe.INSTANCE,
                          () -> {
                            registry.tell(new AccessRegistry.Subscribe(self));
                            return Behaviors.same();
                          })
                      .build();
                }));
  }
}
