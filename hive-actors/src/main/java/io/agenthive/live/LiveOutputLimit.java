package io.agenthive.live;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;

/**
 * {@code hive.streaming.max-partial-bytes}, read and checked once per actor system. Every attempt
 * starts a live output with this bound: read from the configuration at each start, it cost a new
 * {@code Settings} (the typed system makes one per {@code settings()} call) and two size lookups
 * per task, one of the two largest parts of the 7% of a warm hub's CPU samples that went to
 * configuration lookups.
 */
public final class LiveOutputLimit implements Extension {
  private final long maxPartialBytes;

  private LiveOutputLimit(ActorSystem<?> system) {
    this.maxPartialBytes = LiveRun.maxPartialBytes(system.settings().config());
  }

  /** The bound, checked against remoting's frame size the first time (the guardian's start). */
  public static long of(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system).maxPartialBytes;
  }

  private static final class Id extends ExtensionId<LiveOutputLimit> {
    static final Id INSTANCE = new Id();

    @Override
    public LiveOutputLimit createExtension(ActorSystem<?> system) {
      return new LiveOutputLimit(system);
    }
  }
}
