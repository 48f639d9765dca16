package io.agenthive.persistence.readside;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import akka.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import akka.persistence.jdbc.query.javadsl.JdbcReadJournal;
import akka.projection.ProjectionBehavior;
import akka.projection.ProjectionId;
import akka.projection.eventsourced.javadsl.EventSourcedProvider;
import akka.projection.jdbc.javadsl.JdbcProjection;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.agenthive.common.HiveTags;
import io.agenthive.persistence.DatabaseSettings;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * The task read side: a projection (akka-projection-jdbc, exactly-once: each batch of events and
 * its offset commit in one transaction) keeps {@code hive_task_view} current, and {@link
 * TaskViewQueries} answers lists, counts and rates from it. After a restart the projection
 * resumes from its stored offset. It runs as a sharded daemon process, so one instance runs in
 * the whole cluster.
 */
public final class TaskReadSide {
  public static final String PROJECTION = "hive-task-view";
  private final HikariDataSource pool;
  private final TaskViewQueries queries;

  private TaskReadSide(HikariDataSource pool, TaskViewQueries queries) {
    this.pool = pool;
    this.queries = queries;
  }

  public TaskViewQueries queries() {
    return queries;
  }

  /** Creates the offset tables if missing and starts the projection; completes when running. */
  public static CompletionStage<TaskReadSide> start(ActorSystem<?> system) {
    DatabaseSettings db = DatabaseSettings.from(system.settings().config());
    HikariDataSource pool = pool(db);
    system.getWhenTerminated().thenRun(pool::close);
    Executor blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
    return JdbcProjection.createTablesIfNotExists(() -> new PooledJdbcSession(pool), system)
        .thenApply(done -> {
          var projection = JdbcProjection.groupedWithin(
                  ProjectionId.of(PROJECTION, HiveTags.ALL),
                  EventSourcedProvider.<Object>eventsByTag(system, JdbcReadJournal.Identifier(),
                      HiveTags.ALL),
                  () -> new PooledJdbcSession(pool),
                  TaskViewHandler::new,
                  system)
              .withGroup(200, Duration.ofMillis(100))
              .withRestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2);
          ShardedDaemonProcess.get(system).init(ProjectionBehavior.Command.class, PROJECTION, 1,
              i -> ProjectionBehavior.create(projection), ProjectionBehavior.stopMessage());
          return new TaskReadSide(pool, new TaskViewQueries(pool, blocking));
        });
  }

  private static HikariDataSource pool(DatabaseSettings db) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(db.url());
    config.setUsername(db.user());
    config.setPassword(db.password());
    config.setMaximumPoolSize(Math.max(2, db.poolSize() / 2));
    config.setPoolName("hive-read-side");
    config.setAutoCommit(false);
    return new HikariDataSource(config);
  }
}
