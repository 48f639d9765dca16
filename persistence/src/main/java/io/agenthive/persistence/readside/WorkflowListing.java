package io.agenthive.persistence.readside;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Workflows as the task view table knows them: every step's row carries its workflow's id, so the
 * workflows are the groups of those rows, newest first (by their first step's place in the
 * journal), with how many steps are in each status. Two queries per page, both on the {@code
 * workflow_id} index; a workflow whose steps the projection has not written yet is not listed yet.
 */
public final class WorkflowListing {
  private WorkflowListing() {}

  /** One workflow's steps by status, as the table has them. */
  public record Steps(String workflowId, Map<String, Integer> counts) {}

  /** A page of workflows, newest first, and the cursor to the next one (null on the last). */
  public record Page(List<Steps> workflows, String nextCursor) {}

  static Page page(Connection c, String cursor, int limit) throws SQLException {
    StringBuilder sql =
        new StringBuilder(
            "SELECT workflow_id, MIN(created_offset) AS first_offset FROM hive_task_view"
                // a range, not IS NOT NULL, which H2 answers by reading the whole table: only
                // the workflows' steps are read, through the workflow index
                + " WHERE workflow_id >= '' GROUP BY workflow_id");
    if (cursor != null) {
      // an unknown cursor compares with NULL: an empty page rather than the first one again
      sql.append(
          " HAVING MIN(created_offset) < (SELECT MIN(created_offset) FROM hive_task_view"
              + " WHERE workflow_id = ?)");
    }
    sql.append(" ORDER BY first_offset DESC LIMIT ").append(limit + 1);
    List<String> ids = new ArrayList<>();
    try (PreparedStatement st = c.prepareStatement(sql.toString())) {
      if (cursor != null) {
        st.setString(1, cursor);
      }
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    }
    String next = null;
    if (ids.size() > limit) {
      ids = ids.subList(0, limit);
      next = ids.get(limit - 1);
    }
    Map<String, Map<String, Integer>> counts = counts(c, ids);
    List<Steps> out = new ArrayList<>(ids.size());
    for (String id : ids) {
      out.add(new Steps(id, Collections.unmodifiableMap(counts.getOrDefault(id, Map.of()))));
    }
    return new Page(out, next);
  }

  private static Map<String, Map<String, Integer>> counts(Connection c, List<String> ids)
      throws SQLException {
    Map<String, Map<String, Integer>> out = new LinkedHashMap<>();
    if (ids.isEmpty()) {
      return out;
    }
    String marks = String.join(", ", Collections.nCopies(ids.size(), "?"));
    try (PreparedStatement st =
        c.prepareStatement(
            "SELECT workflow_id, status, COUNT(*) FROM hive_task_view WHERE workflow_id IN ("
                + marks
                + ") GROUP BY workflow_id, status")) {
      for (int i = 0; i < ids.size(); i++) {
        st.setString(i + 1, ids.get(i));
      }
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.computeIfAbsent(rs.getString(1), k -> new TreeMap<>())
              .put(rs.getString(2), rs.getInt(3));
        }
      }
    }
    return out;
  }
}
