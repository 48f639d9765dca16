package io.agenthive.common;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.typed.ClusterSingleton;
import akka.cluster.typed.SingletonActor;

/** How every singleton of the hive is started: one per cluster, restarted with backoff. */
public final class Singletons {
  private Singletons() {}

  /**
   * Starts the singleton {@code name} (on the oldest node) and answers a proxy to it on this node.
   * A failure restarts it with the hive's backoff: each one rebuilds from its journal.
   */
  public static <T> ActorRef<T> init(
      ActorSystem<?> system, HiveSettings settings, String name, Behavior<T> behavior) {
    return ClusterSingleton.get(system)
        .init(
            SingletonActor.of(
                Behaviors.supervise(behavior).onFailure(settings.restartBackoff()), name));
  }
}
