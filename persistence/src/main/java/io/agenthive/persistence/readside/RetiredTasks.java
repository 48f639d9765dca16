package io.agenthive.persistence.readside;

import io.agenthive.task.TaskStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The read side's part of retention: finished tasks that ended before a cutoff, and their removal
 * from the read tables (with the rows of their dataset chunks), the counts by status lowered to
 * match, in the caller's transaction.
 */
public final class RetiredTasks {
  private static final String ENDED = "('completed', 'failed', 'cancelled')";

  private RetiredTasks() {}

  /** Up to {@code limit} finished tasks that ended before {@code cutoffMs}, oldest first. */
  public static List<String> due(Connection c, long cutoffMs, int limit) throws SQLException {
    List<String> ids = new ArrayList<>();
    try (PreparedStatement st =
        c.prepareStatement(
            "SELECT task_id FROM hive_task_view WHERE status IN "
                + ENDED
                + " AND completed_at_ms < ? AND chunk_of IS NULL"
                + " ORDER BY completed_at_ms, task_id LIMIT ?")) {
      st.setLong(1, cutoffMs);
      st.setInt(2, limit);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    }
    return ids;
  }

  /** How many finished tasks ended before {@code cutoffMs}. */
  public static long countDue(Connection c, long cutoffMs) throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            "SELECT COUNT(*) FROM hive_task_view WHERE status IN "
                + ENDED
                + " AND completed_at_ms < ? AND chunk_of IS NULL")) {
      st.setLong(1, cutoffMs);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Removes the tasks' rows and their chunks' rows; returns how many rows went. */
  public static long remove(Connection c, List<String> taskIds) throws SQLException {
    if (taskIds.isEmpty()) {
      return 0;
    }
    String in = String.join(", ", Collections.nCopies(taskIds.size(), "?"));
    String which = " WHERE task_id IN (" + in + ") OR chunk_of IN (" + in + ")";
    Map<TaskStatus, Long> delta = new EnumMap<>(TaskStatus.class);
    try (PreparedStatement st =
        c.prepareStatement(
            "SELECT status, COUNT(*) FROM hive_task_view" + which + " GROUP BY status")) {
      bind(st, taskIds);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          delta.put(TaskRows.status(rs.getString(1)), -rs.getLong(2));
        }
      }
    }
    long removed;
    try (PreparedStatement st = c.prepareStatement("DELETE FROM hive_task_view" + which)) {
      bind(st, taskIds);
      removed = st.executeUpdate();
    }
    TaskCounts.add(c, delta);
    return removed;
  }

  private static void bind(PreparedStatement st, List<String> ids) throws SQLException {
    for (int i = 0; i < ids.size(); i++) {
      st.setString(i + 1, ids.get(i));
      st.setString(ids.size() + i + 1, ids.get(i));
    }
  }
}
