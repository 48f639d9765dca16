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
  // not 'failed': a failed task may still be retried, and a retry of a task no longer listed would
  // run without a row to show it
  private static final String ENDED = "('completed', 'cancelled')";

  /**
   * Which tasks may go: ended for good, not a chunk (it goes with its dataset), not a step of a
   * workflow (its listing is built from its steps' rows), without stored files (those leave first,
   * after hive.datasets.retention; the sweep does not remove them), and not a subtask of a parent
   * that has not ended.
   */
  private static final String RETIRABLE =
      " FROM hive_task_view t WHERE t.status IN "
          + ENDED
          + " AND t.completed_at_ms < ? AND t.chunk_of IS NULL AND t.workflow_id IS NULL"
          + " AND NOT EXISTS (SELECT 1 FROM hive_blob b WHERE b.task_id = t.task_id)"
          // nor a subtask whose parent has not ended: it may be waiting to read what it left
          + " AND NOT EXISTS (SELECT 1 FROM hive_task_view p WHERE p.task_id = t.parent_id"
          + " AND p.status NOT IN ('completed', 'failed', 'cancelled', 'expired', 'rejected'))";

  private RetiredTasks() {}

  /** Up to {@code limit} tasks that may go and ended before {@code cutoffMs}, oldest first. */
  public static List<String> due(Connection c, long cutoffMs, int limit) throws SQLException {
    List<String> ids = new ArrayList<>();
    try (PreparedStatement st =
        c.prepareStatement(
            "SELECT t.task_id" + RETIRABLE + " ORDER BY t.completed_at_ms, t.task_id LIMIT ?")) {
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

  /** How many tasks that may go ended before {@code cutoffMs}. */
  public static long countDue(Connection c, long cutoffMs) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT COUNT(*)" + RETIRABLE)) {
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
    // the rows are locked as they are counted: the counts lowered are those of the rows deleted
    Map<TaskStatus, Long> delta = new EnumMap<>(TaskStatus.class);
    try (PreparedStatement st =
        c.prepareStatement("SELECT status FROM hive_task_view" + which + " FOR UPDATE")) {
      bind(st, taskIds);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          delta.merge(TaskRows.status(rs.getString(1)), -1L, Long::sum);
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
