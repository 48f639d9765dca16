package io.agenthive.persistence.readside;

import io.agenthive.task.Priority;
import io.agenthive.task.TaskStatus;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import javax.sql.DataSource;

/**
 * Reads {@code hive_task_view}: pages of ids in creation order with filters, counts by status,
 * the completion rate, the newest tasks. Blocking JDBC, so every query runs on the blocking
 * dispatcher and answers with a stage.
 */
public final class TaskViewQueries extends ReadQueries {
  TaskViewQueries(DataSource pool, Executor blocking) {
    super(pool, blocking);
  }

  /** Null fields do not filter. */
  public record Filter(TaskStatus status, Priority priority, String agentId) {}

  /** How many events the projection applied to a task, and the last sequence number it saw. */
  public record Applied(String taskId, long lastSequenceNr, long eventsApplied) {}

  public CompletionStage<Page> page(Filter f, String cursor, int limit) {
    return query(c -> {
      StringBuilder where = new StringBuilder("1 = 1");
      List<Object> args = new ArrayList<>();
      if (f.status() != null) {
        where.append(" AND status = ?");
        args.add(f.status().label());
      }
      if (f.priority() != null) {
        where.append(" AND priority = ?");
        args.add(f.priority().label());
      }
      if (f.agentId() != null) {
        where.append(" AND agent_id = ?");
        args.add(f.agentId());
      }
      return page(c, "hive_task_view", "task_id", where.toString(), args, cursor, limit);
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
}
