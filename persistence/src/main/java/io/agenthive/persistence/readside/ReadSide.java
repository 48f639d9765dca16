package io.agenthive.persistence.readside;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import akka.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import akka.pattern.Patterns;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * The read side: one projection (akka-projection-jdbc, exactly-once: each batch of events and its
 * offset commit in one transaction) keeps {@code hive_task_view} and {@code hive_agent_view}
 * current (its handler empties tables left without an offset before it starts); {@link
 * TaskViewQueries} and {@link AgentViewQueries} answer lists from them, and {@link ReadSideBacklog}
 * gives a restarting matcher the tables plus the journal after their offset. Started once per actor
 * system ({@link #start}, an Akka extension), as a sharded daemon process: one instance per
 * cluster.
 */
public final class ReadSide {
  /**
   * Named for the tables' shape: a new name rebuilds the tables from the journal (v3: tasks' titles
   * searchable).
   */
  public static final String PROJECTION = "hive-read-model-v3";

  private final TaskViewQueries tasks;
  private final AgentViewQueries agents;
  private static final Duration APPLIED_POLL = Duration.ofMillis(50);
  private final ActorSystem<?> system;
  private final HikariDataSource pool;
  private final String offsetTable;

  private ReadSide(
      ActorSystem<?> system,
      HikariDataSource pool,
      Executor blocking,
      String offsetTable,
      ListedTaskJson listed) {
    this.system = system;
    this.pool = pool;
    this.offsetTable = offsetTable;
    this.tasks = new TaskViewQueries(pool, blocking, listed.shape());
    this.agents = new AgentViewQueries(pool, blocking);
  }

  public TaskViewQueries tasks() {
    return tasks;
  }

  public AgentViewQueries agents() {
    return agents;
  }

  /**
   * Completes when the read tables hold every event up to journal offset {@code offset}, or after
   * {@code atMost} (with false): readers that follow the journal and then read the tables use it
   * not to read rows older than the events they saw.
   */
  public CompletionStage<Boolean> applied(long offset, Duration atMost) {
    long deadline = System.nanoTime() + atMost.toNanos();
    return appliedBy(offset, deadline);
  }

  private CompletionStage<Boolean> appliedBy(long offset, long deadline) {
    return tasks
        .query(
            c ->
                ReadTables.offset(c, offsetTable, ProjectionId.of(PROJECTION, HiveTags.ALL))
                    >= offset)
        .thenCompose(
            done -> {
              if (done || System.nanoTime() > deadline) {
                return CompletableFuture.completedFuture(done);
              }
              return Patterns.after(
                  APPLIED_POLL,
                  system.classicSystem().scheduler(),
                  system.executionContext(),
                  () -> appliedBy(offset, deadline));
            });
  }

  HikariDataSource pool() {
    return pool;
  }

  String offsetTable() {
    return offsetTable;
  }

  /**
   * The read side of {@code system}: the first call creates the offset tables if missing and starts
   * the projection (one instance in the cluster, which rebuilds the tables when it has no offset);
   * later calls get the same.
   */
  public static CompletionStage<ReadSide> start(ActorSystem<?> system) {
    return Started.ID.apply(system).readSide;
  }

  private static CompletionStage<ReadSide> create(ActorSystem<?> system) {
    DatabaseSettings db = DatabaseSettings.from(system.settings().config());
    HikariDataSource pool = pool(db);
    system.getWhenTerminated().thenRun(pool::close);
    Executor blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
    ProjectionId id = ProjectionId.of(PROJECTION, HiveTags.ALL);
    ListedTaskJson listed = ListedTaskJson.of(system);
    String offsetTable =
        system.settings().config().getString("akka.projection.jdbc.offset-store.table");
    // nodes starting at once race to create the offset tables: a loser finds them made
    return Patterns.retry(
            () -> JdbcProjection.createTablesIfNotExists(() -> new PooledJdbcSession(pool), system),
            3,
            Duration.ofMillis(500),
            system.classicSystem().scheduler(),
            system.executionContext())
        .thenApply(
            done -> {
              var projection =
                  JdbcProjection.groupedWithin(
                          id,
                          EventSourcedProvider.<Object>eventsByTag(
                              system, JdbcReadJournal.Identifier(), HiveTags.ALL),
                          () -> new PooledJdbcSession(pool),
                          () -> new ReadModelHandler(pool, offsetTable, id, listed),
                          system)
                      .withGroup(500, Duration.ofMillis(100))
                      .withRestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2);
              ShardedDaemonProcess.get(system)
                  .init(
                      ProjectionBehavior.Command.class,
                      PROJECTION,
                      1,
                      i -> ProjectionBehavior.create(projection),
                      ProjectionBehavior.stopMessage());
              return new ReadSide(system, pool, blocking, offsetTable, listed);
            });
  }

  private static HikariDataSource pool(DatabaseSettings db) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(db.url());
    config.setUsername(db.user());
    config.setPassword(db.password());
    config.setMaximumPoolSize(Math.max(2, db.readSidePoolSize()));
    config.setPoolName("hive-read-side");
    config.setAutoCommit(false);
    return new HikariDataSource(config);
  }

  /** One read side per actor system. */
  private static final class Started implements Extension {
    static final ExtensionId<Started> ID =
        new ExtensionId<>() {
          @Override
          public Started createExtension(ActorSystem<?> system) {
            return new Started(create(system));
          }
        };
    final CompletionStage<ReadSide> readSide;

    Started(CompletionStage<ReadSide> readSide) {
      this.readSide = readSide;
    }
  }
}
