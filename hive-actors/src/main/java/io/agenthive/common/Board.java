package io.agenthive.common;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A node's copy of what a cluster singleton publishes (its counts, the key ring, the budgets), so
 * reads on this node are a field read instead of a question to an actor. It subscribes again every
 * {@code resubscribe}: a singleton that restarted or moved to another node has forgotten its
 * subscribers, and the interval bounds how long this node can go without news.
 */
public final class Board {
  private enum Resubscribe implements LocalOnly {
    INSTANCE
  }

  private Board() {}

  /**
   * @param type what the singleton publishes
   * @param subscribe sends the singleton its subscribe message for this board
   * @param received called, one at a time, with each value published
   */
  public static <T> Behavior<Object> create(
      Class<T> type, Duration resubscribe, Consumer<ActorRef<T>> subscribe, Consumer<T> received) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> {
                  ActorRef<T> self = ctx.getSelf().narrow();
                  subscribe.accept(self);
                  timers.startTimerWithFixedDelay(Resubscribe.INSTANCE, resubscribe);
                  return Behaviors.receive(Object.class)
                      .onMessage(
                          type,
                          value -> {
                            received.accept(value);
                            return Behaviors.same();
                          })
                      .onMessageEquals(
                          Resubscribe.INSTANCE,
                          () -> {
                            subscribe.accept(self);
                            return Behaviors.same();
                          })
                      .build();
                }));
  }
}
