package io.agenthive.persistence.readside;

import io.agenthive.task.Priority;
import io.agenthive.task.Task;
import io.agenthive.task.TaskStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import javax.sql.DataSource;

/**
 * Reads {@code hive_task_view}: pages of whole tasks in creation order with filters (one query per
 * page), the newest tasks, counts by status. Blocking JDBC, so every query runs on the blocking
 * dispatcher and answers with a stage.
 */
public final class TaskViewQueries extends ReadQueries {
  private final int listedShape;

  /** {@code listedShape}: the shape of the renderings this node makes ({@link ListedTaskJson}). */
  TaskViewQueries(DataSource pool, Executor blocking, int listedShape) {
    super(pool, blocking);
    this.listedShape = listedShape;
  }

  /**
   * Null fields do not filter; {@code withChunks} false leaves dataset chunk tasks out; {@code
   * search}: a word in the title (any case), the start of the id, or a word in the name of the
   * agent that ran it.
   */
  public record Filter(
      TaskStatus status, Priority priority, String agentId, boolean withChunks, String search) {
    public Filter(TaskStatus status, Priority priority, String agentId) {
      this(status, priority, agentId, true, null);
    }
  }

  /** How many events the projection applied to a task, and the last sequence number it saw. */
  public record Applied(String taskId, long lastSequenceNr, long eventsApplied) {}

  /**
   * One task of a page as a list shows it: its JSON as the projection rendered it, or, for a row
   * rendered under another shape or not at all, the task (read from its columns) to render now.
   */
  public record Listed(String json, Task task) {}

  /**
   * A page of tasks in the list's order as the list shows them, its cursors, and how many tasks
   * match the filter in all (counted by the same query's conditions, so the number and the pages
   * agree).
   */
  public record ListedPage(List<Listed> tasks, ListWindow.Cursors cursors, long total) {}

  /**
   * A page of tasks, each rendering taken from its row when the row has the current shape (its JSON
   * columns are then not parsed at all), else the task read from its columns.
   */
  public CompletionStage<ListedPage> listedPage(Filter f, ListWindow window) {
    return query(
        c -> {
          List<Object> args = new ArrayList<>();
          String where = where(f, args);
          var rows =
              window.read(
                  c,
                  "hive_task_view",
                  "task_id",
                  TaskRows.COLUMNS + ", " + TaskRows.LISTED,
                  where,
                  args,
                  rs -> {
                    String json = rs.getString("listed_json");
                    return json != null && rs.getInt("listed_shape") == listedShape
                        ? new Listed(json, null)
                        : new Listed(null, TaskRows.row(rs).task());
                  });
          return new ListedPage(
              rows.rows(), rows.cursors(), count(c, "hive_task_view", where, args));
        });
  }

  /** The filter as SQL conditions over the task rows, its parameters added to {@code args}. */
  private static String where(Filter f, List<Object> args) {
    StringBuilder where = new StringBuilder("1 = 1");
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
    if (!f.withChunks()) {
      where.append(" AND chunk_of IS NULL");
    }
    if (f.search() != null && !f.search().isBlank()) {
      String q = likeEscaped(f.search().strip().toLowerCase(Locale.ROOT));
      where.append(
          " AND (title_search LIKE ? ESCAPE '!' OR task_id LIKE ? ESCAPE '!' OR agent_id IN"
              + " (SELECT agent_id FROM hive_agent_view WHERE LOWER(name) LIKE ? ESCAPE '!'))");
      args.add("%" + q + "%");
      args.add(q + "%");
      args.add("%" + q + "%");
    }
    return where.toString();
  }

  /** {@code text} matched literally by LIKE (with ESCAPE '!'): its %, _ and ! escaped. */
  static String likeEscaped(String text) {
    return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
  }

  /** The {@code n} newest tasks that are not dataset chunks, newest first. */
  public CompletionStage<List<Task>> newest(int n) {
    return query(
        c -> {
          List<Task> out = new ArrayList<>();
          try (PreparedStatement st =
                  c.prepareStatement(
                      "SELECT "
                          + TaskRows.COLUMNS
                          + " FROM hive_task_view WHERE chunk_of IS NULL ORDER BY created_offset DESC LIMIT "
                          + n);
              ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
              out.add(TaskRows.row(rs).task());
            }
          }
          return out;
        });
  }

  /**
   * Up to {@code n} tasks in {@code status}, oldest first (open approvals, say): the status index
   * answers it without touching the other rows.
   */
  public CompletionStage<List<Task>> inStatus(TaskStatus status, int n) {
    return query(
        c -> {
          List<Task> out = new ArrayList<>();
          try (PreparedStatement st =
              c.prepareStatement(
                  "SELECT "
                      + TaskRows.COLUMNS
                      + " FROM hive_task_view WHERE status = ? ORDER BY created_offset LIMIT "
                      + n)) {
            st.setString(1, status.label());
            try (ResultSet rs = st.executeQuery()) {
              while (rs.next()) {
                out.add(TaskRows.row(rs).task());
              }
            }
          }
          return out;
        });
  }

  /**
   * Up to {@code n} open approvals, oldest first, that name one of {@code tokens} (a principal's
   * label and the roles it covers, {@code TaskGate.Approval.tokensOf}): the caller's inbox.
   */
  public CompletionStage<List<Task>> openApprovalsFor(List<String> tokens, int n) {
    return query(
        c -> {
          List<Task> out = new ArrayList<>();
          String any =
              String.join(
                  " OR ",
                  java.util.Collections.nCopies(tokens.size(), "approvers LIKE ? ESCAPE '!'"));
          try (PreparedStatement st =
              c.prepareStatement(
                  "SELECT "
                      + TaskRows.COLUMNS
                      + " FROM hive_task_view WHERE status = 'waiting_for_approval' AND ("
                      + any
                      + ") ORDER BY created_offset LIMIT "
                      + n)) {
            for (int i = 0; i < tokens.size(); i++) {
              st.setString(i + 1, "%|" + likeEscaped(tokens.get(i)) + "|%");
            }
            try (ResultSet rs = st.executeQuery()) {
              while (rs.next()) {
                out.add(TaskRows.row(rs).task());
              }
            }
          }
          return out;
        });
  }

  /** A task's subtasks: the first {@code n}, oldest first, and how many it has in all. */
  public record Children(List<Task> tasks, long total) {}

  /** The subtasks of {@code parentId} (by their {@code parent_id}), from its index. */
  public CompletionStage<Children> children(String parentId, int n) {
    return query(
        c -> {
          List<Task> out = new ArrayList<>();
          try (PreparedStatement st =
              c.prepareStatement(
                  "SELECT "
                      + TaskRows.COLUMNS
                      + " FROM hive_task_view WHERE parent_id = ? ORDER BY created_offset LIMIT "
                      + n)) {
            st.setString(1, parentId);
            try (ResultSet rs = st.executeQuery()) {
              while (rs.next()) {
                out.add(TaskRows.row(rs).task());
              }
            }
          }
          if (out.size() < n) {
            // the page holds them all: counted apart, a subtask that arrives between the two
            // reads would be in the total and missing from the page
            return new Children(out, out.size());
          }
          long total;
          try (PreparedStatement st =
              c.prepareStatement("SELECT COUNT(*) FROM hive_task_view WHERE parent_id = ?")) {
            st.setString(1, parentId);
            try (ResultSet rs = st.executeQuery()) {
              rs.next();
              total = rs.getLong(1);
            }
          }
          return new Children(out, Math.max(total, out.size()));
        });
  }

  /** These tasks as the table has them, in the same order; unknown ids left out. */
  public CompletionStage<List<Task>> byIds(List<String> ids) {
    return query(
        c -> {
          var rows = TaskRows.load(c, ids);
          List<Task> out = new ArrayList<>(rows.size());
          ids.forEach(
              id -> {
                var row = rows.get(id);
                if (row != null) {
                  out.add(row.task());
                }
              });
          return out;
        });
  }

  /** Workflows, newest first, with their steps by status ({@link WorkflowListing}). */
  public CompletionStage<WorkflowListing.Page> workflows(String cursor, int limit) {
    return query(c -> WorkflowListing.page(c, cursor, limit));
  }

  /** Tasks by status as the read tables have them (every status present; six rows read). */
  public CompletionStage<Map<TaskStatus, Long>> countsByStatus() {
    return query(TaskViewQueries::counts);
  }

  static Map<TaskStatus, Long> counts(Connection c) throws SQLException {
    return TaskCounts.read(c);
  }

  public CompletionStage<List<Applied>> applied() {
    return query(
        c -> {
          List<Applied> out = new ArrayList<>();
          try (PreparedStatement st =
                  c.prepareStatement(
                      "SELECT task_id, last_sequence_nr, events_applied FROM hive_task_view");
              ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
              out.add(new Applied(rs.getString(1), rs.getLong(2), rs.getLong(3)));
            }
          }
          return out;
        });
  }

  /** An erased subject's tasks and the blobs they keep (docs/erasure.md). */
  public CompletionStage<List<SubjectRows.SubjectTask>> subjectTasks(String subject) {
    return query(c -> SubjectRows.tasksOf(c, subject));
  }
}
