package io.agenthive.common;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.ActorContext;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A singleton's subscribers (the {@link Board}s of every node): each gets what is published now
 * when it subscribes and whatever is published after, until it stops. One rule for leaving: a
 * subscriber is watched, and the message {@code gone} makes for it comes back to the singleton when
 * it stops or its node leaves; the singleton hands that to {@link #gone}. A board subscribes again
 * every few seconds, so a singleton that restarted or moved finds its subscribers again.
 *
 * @param <T> what is published
 * @param <C> the singleton's command type
 */
public final class Subscribers<T, C> {
  private final ActorContext<C> context;
  private final Function<ActorRef<T>, C> goneMessage;
  private final Set<ActorRef<T>> subscribers = new HashSet<>();

  public Subscribers(ActorContext<C> context, Function<ActorRef<T>, C> goneMessage) {
    this.context = context;
    this.goneMessage = goneMessage;
  }

  /** Adds {@code subscriber} (again: no change) and sends it {@code now}. */
  public void subscribe(ActorRef<T> subscriber, T now) {
    if (subscribers.add(subscriber)) {
      context.watchWith(subscriber, goneMessage.apply(subscriber));
    }
    subscriber.tell(now);
  }

  public void gone(ActorRef<T> subscriber) {
    subscribers.remove(subscriber);
  }

  public boolean isEmpty() {
    return subscribers.isEmpty();
  }

  /** Sends every subscriber what {@code value} makes; nothing is made when there are none. */
  public void publish(Supplier<T> value) {
    if (subscribers.isEmpty()) {
      return;
    }
    T v = value.get();
    subscribers.forEach(s -> s.tell(v));
  }
}
