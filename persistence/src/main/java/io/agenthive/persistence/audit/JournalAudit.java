package io.agenthive.persistence.audit;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import com.typesafe.config.Config;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal's audit on a running hub: a signed checkpoint every {@code
 * hive.audit.checkpoint-interval} over the events settled for {@code hive.audit.checkpoint-lag},
 * and verification on demand. Every node writes checkpoints; when two race for the same one the
 * second insert fails on the table's key and is dropped, so the chain of checkpoints stays one.
 * Each run opens its own connection (twice a minute at most), on the blocking dispatcher.
 */
public final class JournalAudit {
  private static final Logger log = LoggerFactory.getLogger(JournalAudit.class);
  private static final String DUPLICATE = "23505";

  private final ActorSystem<?> system;
  private final Connections db;
  private final JournalSigner signer;
  private final Duration lag;

  /** Opens a connection to the journal's database (this package sits below the journal's). */
  @FunctionalInterface
  public interface Connections {
    Connection open() throws SQLException;
  }

  private JournalAudit(ActorSystem<?> system, Connections db, JournalSigner signer) {
    Config c = system.settings().config().getConfig("hive.audit");
    this.system = system;
    this.db = db;
    this.signer = signer;
    this.lag = c.getDuration("checkpoint-lag");
  }

  /** Starts the checkpoints of this node. */
  public static JournalAudit start(ActorSystem<?> system, Connections db, JournalSigner signer) {
    JournalAudit audit = new JournalAudit(system, db, signer);
    Duration every = system.settings().config().getDuration("hive.audit.checkpoint-interval");
    system
        .scheduler()
        .scheduleWithFixedDelay(
            every,
            every,
            audit::checkpointQuietly,
            system.dispatchers().lookup(DispatcherSelector.blocking()));
    return audit;
  }

  /** The next checkpoint now, or null when no event settled since the last one. */
  public CompletionStage<Checkpoint> checkpoint() {
    return CompletableFuture.supplyAsync(
        this::writeCheckpoint, system.dispatchers().lookup(DispatcherSelector.blocking()));
  }

  private Checkpoint writeCheckpoint() {
    try (Connection c = connect()) {
      long now = System.currentTimeMillis();
      return Checkpoints.writeNext(c, signer, lag.toMillis(), now);
    } catch (SQLException e) {
      if (DUPLICATE.equals(e.getSQLState())) {
        return null; // another node wrote this one first
      }
      throw new IllegalStateException("writing a journal checkpoint failed", e);
    }
  }

  private void checkpointQuietly() {
    try {
      Checkpoint k = writeCheckpoint();
      if (k != null) {
        log.debug("Journal checkpoint over offsets {}..{}", k.fromOrdering() + 1, k.toOrdering());
      }
    } catch (RuntimeException e) {
      log.warn("Journal checkpoint failed; the next one tries again: {}", e.toString());
    }
  }

  /** A whole verification on the blocking dispatcher. */
  public CompletionStage<JournalVerifier.Report> verify(LongConsumer progress) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (Connection c = connect()) {
            return new JournalVerifier(signer).verify(c, progress);
          } catch (SQLException e) {
            throw new IllegalStateException("reading the journal to verify it failed", e);
          }
        },
        system.dispatchers().lookup(DispatcherSelector.blocking()));
  }

  private Connection connect() throws SQLException {
    return db.open();
  }
}
