package io.agenthive.dataset;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import java.util.concurrent.Executor;

/**
 * A node's dataset settings and I/O executor, read once per actor system: every chunk run and every
 * upload uses them, so neither re-reads config nor looks the dispatcher up again.
 */
public final class Datasets implements Extension {
  private final DatasetSettings settings;
  private final Executor io;

  private Datasets(ActorSystem<?> system) {
    this.settings = DatasetSettings.from(system.settings().config());
    this.io = system.dispatchers().lookup(DispatcherSelector.fromConfig(settings.ioDispatcher()));
  }

  public static Datasets get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  public DatasetSettings settings() {
    return settings;
  }

  /** Where blocking file work runs (hive.datasets.io-dispatcher). */
  public Executor io() {
    return io;
  }

  private static final class Id extends ExtensionId<Datasets> {
    static final Id INSTANCE = new Id();

    @Override
    public Datasets createExtension(ActorSystem<?> system) {
      return new Datasets(system);
    }
  }
}
