package io.agenthive.persistence.readside;

import io.agenthive.task.Priority;
import io.agenthive.task.TaskStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import javax.sql.DataSource;

/**
 * Reads {@code hive_task_view}: pages of ids in creation order with filters, counts by status,
 * the completion rate, the newest tasks. Blocking JDBC, so every query runs on the blocking
 * dispatcher and answers with a stage.
 */
public final class TaskViewQueries {
  private final DataSource pool;
  private final Executor blocking;

  TaskViewQueries(DataSource pool, Executor blocking) {
    this.pool = pool;
    this.blocking = blocking;
  }

  /** Null fields do not filter. */
  public record Filter(TaskStatus status, Priority priority, String agentId) {}

  public record Page(List<String> ids, String nextCursor) {}

  /** How many events the projection applied to a task, and the last sequence number it saw. */
  public record Applied(String taskId, long lastSequenceNr, long eventsApplied) {}

  public CompletionStage<Page> page(Filter f, String cursor, int limit) {
    return query(c -> {
      StringBuilder sql = new StringBuilder("SELECT task_id FROM hive_task_view WHERE 1 = 1");
      List<Object> args = new ArrayList<>();
      if (f.status() != null) {
        sql.append(" AND status = ?");
        args.add(f.status().label());
      }
      if (f.priority() != null) {
        sql.append(" AND priority = ?");
        args.add(f.priority().label());
      }
      if (f.agentId() != null) {
        sql.append(" AND agent_id = ?");
        args.add(f.agentId());
      }
      if (cursor != null) {
        sql.append(" AND created_offset > COALESCE((SELECT created_offset FROM hive_task_view"
            + " WHERE task_id = ?), 9223372036854775807)");
        args.add(cursor);
      }
      sql.append(" ORDER BY created_offset LIMIT ").append(limit + 1);
      List<String> ids = strings(c, sql.toString(), args);
      boolean more = ids.size() > limit;
      List<String> page = more ? ids.subList(0, limit) : ids;
      return new Page(List.copyOf(page), more ? page.get(page.size() - 1) : null);
    });
  }

  public CompletionStage<Map<TaskStatus, Long>> countsByStatus() {
    return query(c -> {
      Map<TaskStatus, Long> counts = new EnumMap<>(TaskStatus.class);
      for (TaskStatus s : TaskStatus.values()) {
        counts.put(s, 0L);
      }
      try (PreparedStatement st = c.prepareStatement(
              "SELECT status, COUNT(*) FROM hive_task_view GROUP BY status");
          ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          counts.put(TaskStatus.valueOf(rs.getString(1).toUpperCase(Locale.ROOT)), rs.getLong(2));
        }
      }
      return counts;
    });
  }

  /** Tasks completed in the minute before {@code now}, per second. */
  public CompletionStage<Double> completionsPerSecond(Instant now) {
    return query(c -> {
      try (PreparedStatement st = c.prepareStatement("SELECT COUNT(*) FROM hive_task_view"
          + " WHERE status = 'completed' AND completed_at_ms >= ?")) {
        st.setLong(1, now.minusSeconds(60).toEpochMilli());
        try (ResultSet rs = st.executeQuery()) {
          rs.next();
          return rs.getLong(1) / 60.0;
        }
      }
    });
  }

  public CompletionStage<List<String>> newest(int n) {
    return query(c -> strings(c,
        "SELECT task_id FROM hive_task_view ORDER BY created_offset DESC LIMIT " + n, List.of()));
  }

  public CompletionStage<List<Applied>> applied() {
    return query(c -> {
      List<Applied> out = new ArrayList<>();
      try (PreparedStatement st = c.prepareStatement(
              "SELECT task_id, last_sequence_nr, events_applied FROM hive_task_view");
          ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(new Applied(rs.getString(1), rs.getLong(2), rs.getLong(3)));
        }
      }
      return out;
    });
  }

  private interface Query<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> CompletionStage<T> query(Query<T> q) {
    return CompletableFuture.supplyAsync(() -> {
      try (Connection c = pool.getConnection()) {
        try {
          return q.run(c);
        } finally {
          c.rollback(); // read only: end the transaction the pool's auto-commit=false opened
        }
      } catch (SQLException e) {
        throw new CompletionException(e);
      }
    }, blocking);
  }

  private static List<String> strings(Connection c, String sql, List<Object> args)
      throws SQLException {
    try (PreparedStatement st = c.prepareStatement(sql)) {
      for (int i = 0; i < args.size(); i++) {
        st.setObject(i + 1, args.get(i));
      }
      try (ResultSet rs = st.executeQuery()) {
        List<String> out = new ArrayList<>();
        while (rs.next()) {
          out.add(rs.getString(1));
        }
        return out;
      }
    }
  }
}
