package io.agenthive.blob;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;

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
        className.isBlank() ? new InMemoryBlobStore(system) : instantiate(className, system);
  }

  public static BlobStore get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system).store;
  }

  private static BlobStore instantiate(String className, ActorSystem<?> system) {
    try {
      return (BlobStore)
          Class.forName(className).getConstructor(ActorSystem.class).newInstance(system);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "hive.blobs.store names " + className + ", which cannot be made: " + e, e);
    }
  }

  private static final class Id extends ExtensionId<BlobStores> {
    static final Id INSTANCE = new Id();

    @Override
    public BlobStores createExtension(ActorSystem<?> system) {
      return new BlobStores(system);
    }
  }
}
