package io.agenthive.common;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import akka.cluster.typed.Cluster;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Persistence ids this node has just minted at random (a task submitted without an idempotency
 * key): no event can exist for them, so the journal answers their entity's first recovery ("the
 * highest sequence number?") with 0 instead of asking the database. That query was one database
 * round trip per new task, not batched like the writes, waiting behind them for a connection.
 *
 * <p>Only on a node that is alone in its cluster, and only within {@link #TRUSTED} of the minting:
 * in a cluster the entity may start on another node (which asks the database, as it always did),
 * and a mark left here must not be trusted should the entity move back later. An entity that
 * recovers again (after passivation, a restart) asks the database: each mark is used once.
 */
public final class FreshIds implements Extension {
  static final Duration TRUSTED = Duration.ofSeconds(10);
  private static final int REMEMBERED = 100_000;

  private final Cluster cluster;
  private final AtomicLong skipped = new AtomicLong();
  private final Map<String, Long> minted =
      new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
          return size() > REMEMBERED;
        }
      };

  private FreshIds(ActorSystem<?> system) {
    this.cluster = Cluster.get(system);
  }

  public static FreshIds get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  /** {@code persistenceId} was minted here at random just now: it has no events. */
  public void minted(String persistenceId) {
    synchronized (minted) {
      minted.put(persistenceId, System.nanoTime());
    }
  }

  /**
   * Whether {@code persistenceId}'s recovery may skip the database: minted here moments ago, on a
   * node alone in its cluster. The mark is forgotten either way.
   */
  public boolean take(String persistenceId) {
    Long at;
    synchronized (minted) {
      at = minted.remove(persistenceId);
    }
    boolean fresh =
        at != null
            && System.nanoTime() - at < TRUSTED.toNanos()
            && cluster.state().members().size() <= 1;
    if (fresh) {
      skipped.incrementAndGet();
    }
    return fresh;
  }

  /** How many recoveries this node answered from its marks (a test reads it). */
  public long recoveriesSkipped() {
    return skipped.get();
  }

  private static final class Id extends ExtensionId<FreshIds> {
    static final Id INSTANCE = new Id();

    @Override
    public FreshIds createExtension(ActorSystem<?> system) {
      return new FreshIds(system);
    }
  }
}
