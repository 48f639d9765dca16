package io.agenthive.persistence.readside;

import io.agenthive.task.TaskStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Map;

/** {@code hive_task_counts}: how many tasks the read tables hold in each status. */
final class TaskCounts {
  private TaskCounts() {}

  /** Applies a batch's moves between statuses (in the batch's transaction). */
  static void add(Connection c, Map<TaskStatus, Long> delta) throws SQLException {
    for (var e : delta.entrySet()) {
      if (e.getValue() == 0) {
        continue;
      }
      try (PreparedStatement up =
          c.prepareStatement(
              "UPDATE hive_task_counts SET task_count = task_count + ? WHERE status = ?")) {
        up.setLong(1, e.getValue());
        up.setString(2, e.getKey().label());
        if (up.executeUpdate() == 0) {
          try (PreparedStatement in =
              c.prepareStatement(
                  "INSERT INTO hive_task_counts (status, task_count) VALUES (?, ?)")) {
            in.setString(1, e.getKey().label());
            in.setLong(2, e.getValue());
            in.executeUpdate();
          }
        }
      }
    }
  }

  /** Every status, zero when none. */
  static Map<TaskStatus, Long> read(Connection c) throws SQLException {
    Map<TaskStatus, Long> counts = new EnumMap<>(TaskStatus.class);
    for (TaskStatus s : TaskStatus.values()) {
      counts.put(s, 0L);
    }
    try (PreparedStatement st =
            c.prepareStatement("SELECT status, task_count FROM hive_task_counts");
        ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        counts.put(TaskRows.status(rs.getString(1)), rs.getLong(2));
      }
    }
    return counts;
  }
}
