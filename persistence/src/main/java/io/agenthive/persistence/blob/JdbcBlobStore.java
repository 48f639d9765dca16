package io.agenthive.persistence.blob;

import akka.Done;
import akka.NotUsed;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.agenthive.blob.BlobStore;
import io.agenthive.persistence.DatabaseSettings;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import scala.concurrent.ExecutionContextExecutor;

/**
 * Blobs in the hub's own database (H2 or PostgreSQL), so every node of a cluster reads what any
 * node wrote and nothing but the database is shared. Tables in hive/schema/blobs.sql: a row per
 * blob, its bytes in parts of {@code hive.blobs.part-size}. Named by {@code hive.blobs.store} when
 * a node starts on this module's journal settings ({@link DatabaseSettings#journalConfig}).
 *
 * <p>It has its own small pool ({@code hive.blobs.pool-size}) and dispatcher rather than the read
 * side's: an upload or a download moves gigabytes a part at a time, and must not make the lists,
 * the projection or the journal wait for connections. Blocking JDBC runs only on that dispatcher
 * (or on the caller's I/O thread for {@link #readRange} and appenders). It also sweeps itself:
 * blobs past {@code hive.datasets.retention} are removed every {@code hive.blobs.sweep-interval}
 * ({@link BlobRetention}).
 */
public final class JdbcBlobStore implements BlobStore {
  private final BlobDb db;
  private final BlobRetention retention;

  public JdbcBlobStore(ActorSystem<?> system) {
    var config = system.settings().config();
    BlobSettings settings = BlobSettings.from(config);
    HikariDataSource pool = pool(DatabaseSettings.from(config), settings);
    system.getWhenTerminated().thenRun(pool::close);
    ExecutionContextExecutor blocking =
        system.dispatchers().lookup(DispatcherSelector.fromConfig(settings.dispatcher()));
    this.db = new BlobDb(pool, blocking, settings, Clock.systemUTC());
    this.retention = new BlobRetention(db);
    // nodes started together do not all sweep at the same moment
    Duration interval = settings.sweepInterval();
    Duration first =
        Duration.ofMillis(ThreadLocalRandom.current().nextLong(Math.max(1, interval.toMillis())));
    system.scheduler().scheduleWithFixedDelay(first, interval, retention::sweepQuietly, blocking);
  }

  private static HikariDataSource pool(DatabaseSettings db, BlobSettings settings) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(db.url());
    config.setUsername(db.user());
    config.setPassword(db.password());
    config.setMaximumPoolSize(settings.poolSize());
    // idle nodes keep one connection, not the whole pool: PostgreSQL counts them all
    config.setMinimumIdle(1);
    config.setPoolName("hive-blobs");
    config.setAutoCommit(false);
    return new HikariDataSource(config);
  }

  @Override
  public Sink<ByteString, CompletionStage<BlobInfo>> write(
      String id, Kind kind, String taskId, long maxBytes) {
    return BlobWriter.sink(db, id, kind, taskId, maxBytes);
  }

  @Override
  public Source<ByteString, NotUsed> read(String id, long offset, long length) {
    return BlobReader.source(db, id, offset, length);
  }

  @Override
  public byte[] readRange(String id, long offset, int length) throws IOException {
    return BlobReader.readRange(db, id, offset, length);
  }

  @Override
  public CompletionStage<Optional<BlobInfo>> info(String id) {
    return db.async(c -> BlobSql.info(c, id));
  }

  @Override
  public Appender openAppender(String id, Kind kind, String taskId, long checkpointed)
      throws IOException {
    return JdbcAppender.open(db, id, kind, taskId, checkpointed);
  }

  @Override
  public CompletionStage<Done> delete(String id) {
    return db.onDispatcher(
        () -> {
          BlobRemoval.remove(db, id);
          return Done.getInstance();
        });
  }

  @Override
  public CompletionStage<Long> totalBytes() {
    return db.async(BlobSql::total);
  }

  /** One retention sweep now (tests; the store also sweeps on its own schedule). */
  public CompletionStage<Integer> sweep() {
    return db.onDispatcher(retention::sweep);
  }
}
