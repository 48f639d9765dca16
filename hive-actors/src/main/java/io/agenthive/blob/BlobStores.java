package io.agenthive.blob;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import io.agenthive.common.ConfiguredClass;

/**
 * This node's {@link BlobStore}, made once per actor system from {@code hive.blobs.store}: the
 * class name of an implementation with a constructor taking the {@link ActorSystem} (the
 * persistence module's journal settings name its database store there), or empty for blobs in
 * memory (hubs without a database: tests).
 */
public final class BlobStores implements Extension {
  private final BlobStore store;

  private BlobStores(ActorSystem<?> system) {
    String className = system.settings().config().getString("hive.blobs.store");
    this.store =
        className.isBlank()
            ? new InMemoryBlobStore(system)
            : ConfiguredClass.make(system, "hive.blobs.store", className, BlobStore.class);
  }

  public static BlobStore get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system).store;
  }

  private static final class Id extends ExtensionId<BlobStores> {
    static final Id INSTANCE = new Id();

    @Override
    public BlobStores createExtension(ActorSystem<?> system) {
      return new BlobStores(system);
    }
  }
}
