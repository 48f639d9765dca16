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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read side: one projection (akka-projection-jdbc, exactly-once: each batch of events and
 * its offset commit in one transaction) keeps {@code hive_task_view} and {@code hive_agent_view}
 * current, and {@link TaskViewQueries} / {@link AgentViewQueries} answer lists and counts from
 * them. After a restart the projection resumes from its stored offset; when it has no offset at
 * all (first start, or an operator deleted it to rebuild) the read tables are emptied first and
 * rebuilt from the whole journal. It runs as a sharded daemon process: one instance per cluster.
 */
public final class ReadSide {
  public static final String PROJECTION = "hive-read-model";
  private static final Logger log = LoggerFactory.getLogger(ReadSide.class);
  private static final String[] READ_TABLES =
      {"hive_task_view", "hive_agent_view", "hive_agent_capability"};
  private final TaskViewQueries tasks;
  private final AgentViewQueries agents;

  private ReadSide(TaskViewQueries tasks, AgentViewQueries agents) {
    this.tasks = tasks;
    this.agents = agents;
  }

  public TaskViewQueries tasks() {
    return tasks;
  }

  public AgentViewQueries agents() {
    return agents;
  }

  /** Creates the offset tables if missing and starts the projection; completes when running. */
  public static CompletionStage<ReadSide> start(ActorSystem<?> system) {
    DatabaseSettings db = DatabaseSettings.from(system.settings().config());
    HikariDataSource pool = pool(db);
    system.getWhenTerminated().thenRun(pool::close);
    Executor blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
    ProjectionId id = ProjectionId.of(PROJECTION, HiveTags.ALL);
    String offsetTable =
        system.settings().config().getString("akka.projection.jdbc.offset-store.table");
    return JdbcProjection.createTablesIfNotExists(() -> new PooledJdbcSession(pool), system)
        .thenCompose(done -> CompletableFuture.runAsync(
            () -> emptyReadTablesWithoutOffset(pool, offsetTable, id), blocking))
        .thenApply(done -> {
          var projection = JdbcProjection.groupedWithin(id,
                  EventSourcedProvider.<Object>eventsByTag(system, JdbcReadJournal.Identifier(),
                      HiveTags.ALL),
                  () -> new PooledJdbcSession(pool),
                  ReadModelHandler::new,
                  system)
              .withGroup(500, Duration.ofMillis(100))
              .withRestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2);
          ShardedDaemonProcess.get(system).init(ProjectionBehavior.Command.class, PROJECTION, 1,
              i -> ProjectionBehavior.create(projection), ProjectionBehavior.stopMessage());
          return new ReadSide(new TaskViewQueries(pool, blocking),
              new AgentViewQueries(pool, blocking));
        });
  }

  /**
   * Rows written under an offset that no longer exists would be applied a second time by the
   * rebuild, so a projection without an offset starts from empty tables.
   */
  private static void emptyReadTablesWithoutOffset(HikariDataSource pool, String offsetTable,
      ProjectionId id) {
    try (Connection c = pool.getConnection()) {
      boolean hasOffset;
      try (PreparedStatement st = c.prepareStatement("SELECT COUNT(*) FROM \"" + offsetTable
          + "\" WHERE \"projection_name\" = ?")) {
        st.setString(1, id.name());
        try (ResultSet rs = st.executeQuery()) {
          rs.next();
          hasOffset = rs.getLong(1) > 0;
        }
      }
      if (!hasOffset) {
        try (Statement st = c.createStatement()) {
          for (String table : READ_TABLES) {
            st.executeUpdate("DELETE FROM " + table);
          }
        }
        log.info("Read model [{}] has no offset: read tables emptied, rebuilding from the journal",
            id.name());
      }
      c.commit();
    } catch (SQLException e) {
      throw new CompletionException(e);
    }
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
