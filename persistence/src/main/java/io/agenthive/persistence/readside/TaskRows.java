package io.agenthive.persistence.readside;

import com.fasterxml.jackson.core.type.TypeReference;
import io.agenthive.task.AssignmentReason;
import io.agenthive.task.DatasetProgress;
import io.agenthive.task.RequiredCapability;
import io.agenthive.task.Task;
import io.agenthive.task.TaskResult;
import io.agenthive.task.TaskSpec;
import io.agenthive.task.TaskStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task's row in {@code hive_task_view}: the whole {@link Task} (so a list answers from the table
 * alone) plus what the projection tracks, {@code created_offset} (the list order) and how many
 * events it applied.
 */
final class TaskRows {
  private static final Logger LOG = LoggerFactory.getLogger(TaskRows.class);
  static final String COLUMNS =
      "task_id, created_offset, status, priority, agent_id,"
          + " created_at_ms, completed_at_ms, last_sequence_nr, events_applied, attempts,"
          + " assigned_at_ms, started_at_ms, retry_at_ms, chunk_of, requirements_json, spec_json,"
          + " reason_json, result_json, progress_json, submitted_by, workflow_id, title_search,"
          + " wake_at_ms, approvers, failed_on_json, parent_id, subject";

  /** The task as a list shows it, rendered when the row was written, and that rendering's shape. */
  static final String LISTED = "listed_json, listed_shape";

  private static final String INSERT =
      "INSERT INTO hive_task_view ("
          + COLUMNS
          + ", "
          + LISTED
          + ") VALUES (?"
          + ", ?".repeat(28)
          + ")";
  private static final String UPDATE =
      "UPDATE hive_task_view SET created_offset = ?,"
          + " status = ?, priority = ?, agent_id = ?, created_at_ms = ?, completed_at_ms = ?,"
          + " last_sequence_nr = ?, events_applied = ?, attempts = ?, assigned_at_ms = ?,"
          + " started_at_ms = ?, retry_at_ms = ?, chunk_of = ?, requirements_json = ?,"
          + " spec_json = ?, reason_json = ?, result_json = ?, progress_json = ?, submitted_by = ?,"
          + " workflow_id = ?, title_search = ?, wake_at_ms = ?, approvers = ?, failed_on_json = ?,"
          + " parent_id = ?, subject = ?, listed_json = ?, listed_shape = ? WHERE task_id = ?";
  private static final TypeReference<List<RequiredCapability>> REQUIREMENTS =
      new TypeReference<>() {};
  private static final TypeReference<List<String>> AGENT_IDS = new TypeReference<>() {};
  private static final int IN_LIST = 500;
  private static final int TITLE_SEARCH_WIDTH = 1000;

  /** A row: the task, where it sits in the list order, how far the projection got. */
  record Row(Task task, long createdOffset, long lastSequenceNr, long eventsApplied) {}

  private TaskRows() {}

  /** The rows of these tasks that exist, by id. */
  static Map<String, Row> load(Connection c, Collection<String> ids) throws SQLException {
    Map<String, Row> out = new HashMap<>();
    List<String> all = new ArrayList<>(ids);
    for (int from = 0; from < all.size(); from += IN_LIST) {
      List<String> part = all.subList(from, Math.min(all.size(), from + IN_LIST));
      String marks = "?" + ", ?".repeat(part.size() - 1);
      try (PreparedStatement st =
          c.prepareStatement(
              "SELECT " + COLUMNS + " FROM hive_task_view WHERE task_id IN (" + marks + ")")) {
        for (int i = 0; i < part.size(); i++) {
          st.setString(i + 1, part.get(i));
        }
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            Row row = row(rs);
            out.put(row.task().id(), row);
          }
        }
      }
    }
    return out;
  }

  static Row row(ResultSet rs) throws SQLException {
    TaskSpec spec = ReadJson.read(rs.getString("spec_json"), TaskSpec.class);
    Task task =
        new Task(
            rs.getString("task_id"),
            spec,
            status(rs.getString("status")),
            rs.getInt("attempts"),
            instant(rs, "created_at_ms"),
            instant(rs, "assigned_at_ms"),
            instant(rs, "started_at_ms"),
            instant(rs, "completed_at_ms"),
            instant(rs, "retry_at_ms"),
            rs.getString("agent_id"),
            ReadJson.read(rs.getString("reason_json"), AssignmentReason.class),
            ReadJson.read(rs.getString("result_json"), TaskResult.class),
            ReadJson.read(rs.getString("progress_json"), DatasetProgress.class),
            null, // dependencies' outputs stay with the task entity: lists do not show them
            rs.getString("submitted_by"),
            null,
            failedOn(rs.getString("failed_on_json")),
            0,
            null); // as its dependencies: the subtasks a parent awaits stay with the entity
    return new Row(
        task,
        rs.getLong("created_offset"),
        rs.getLong("last_sequence_nr"),
        rs.getLong("events_applied"));
  }

  /** The agents a task's failed attempts ran on; none for a row written before the column. */
  static List<String> failedOn(String json) {
    List<String> agents = json == null ? null : ReadJson.read(json, AGENT_IDS);
    return agents == null ? List.of() : agents;
  }

  static List<RequiredCapability> requirements(String json) {
    List<RequiredCapability> reqs = ReadJson.read(json, REQUIREMENTS);
    return reqs == null ? List.of() : reqs;
  }

  static TaskStatus status(String label) {
    return TaskStatus.valueOf(label.toUpperCase(Locale.ROOT));
  }

  static void insert(Connection c, List<Row> rows, ListedTaskJson listed) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    try (PreparedStatement st = c.prepareStatement(INSERT)) {
      for (Row r : rows) {
        st.setString(1, r.task().id());
        fill(st, 2, r, listed);
        st.addBatch();
      }
      st.executeBatch();
    }
  }

  static void update(Connection c, List<Row> rows, ListedTaskJson listed) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    try (PreparedStatement st = c.prepareStatement(UPDATE)) {
      for (Row r : rows) {
        fill(st, 1, r, listed);
        st.setString(29, r.task().id());
        st.addBatch();
      }
      st.executeBatch();
    }
  }

  /** Every column but the id, from parameter {@code at} on, in {@link #UPDATE}'s order. */
  private static void fill(PreparedStatement st, int at, Row r, ListedTaskJson listed)
      throws SQLException {
    Task t = r.task();
    st.setLong(at, r.createdOffset());
    st.setString(at + 1, t.status().label());
    st.setString(at + 2, t.spec().priority().label());
    st.setString(at + 3, t.assignedAgent());
    setInstant(st, at + 4, t.createdAt());
    setInstant(st, at + 5, t.completedAt());
    st.setLong(at + 6, r.lastSequenceNr());
    st.setLong(at + 7, r.eventsApplied());
    st.setInt(at + 8, t.attempts());
    setInstant(st, at + 9, t.assignedAt());
    setInstant(st, at + 10, t.startedAt());
    setInstant(st, at + 11, t.retryAt());
    st.setString(at + 12, t.spec().chunk() == null ? null : t.spec().chunk().datasetTaskId());
    // the attempt at hand's requirements (its escalation rung): what a restarted matcher queues
    st.setString(at + 13, ReadJson.write(t.requirementsNow()));
    st.setString(at + 14, ReadJson.write(t.spec()));
    st.setString(at + 15, ReadJson.write(t.assignmentReason()));
    st.setString(at + 16, ReadJson.write(t.result()));
    st.setString(at + 17, ReadJson.write(t.progress()));
    st.setString(at + 18, t.submittedBy());
    var deps = t.spec().dependencies();
    st.setString(at + 19, deps == null ? null : deps.workflowId());
    st.setString(at + 20, titleSearch(t.spec().title()));
    setInstant(st, at + 21, t.wakeAt());
    st.setString(at + 22, approvers(t.spec()));
    st.setString(at + 23, t.failedOn().isEmpty() ? null : ReadJson.write(t.failedOn()));
    st.setString(at + 24, deps == null ? null : deps.parentId());
    st.setString(at + 25, t.spec().subject());
    // only a task that has ended keeps its rendering: it never changes again, and those are most
    // of any long list; a task in flight changes within moments and is rendered when read
    String json = t.status().isTerminal() ? rendered(listed, t) : null;
    boolean kept = json != null && json.length() <= ListedTaskJson.MAX_STORED;
    st.setString(at + 26, kept ? json : null);
    st.setInt(at + 27, kept ? listed.shape() : 0);
  }

  /**
   * The stored rendering, or none if rendering fails: the row is then rendered when read, and the
   * read model goes on (a failure here would stop it for every list, again on each restart).
   */
  private static String rendered(ListedTaskJson listed, Task t) {
    try {
      return listed.render(asListed(t));
    } catch (RuntimeException e) {
      LOG.warn("Task [{}] keeps no rendering: {}", t.id(), e.toString());
      return null;
    }
  }

  /**
   * The task as its row reads back ({@link #row}): what stays with the task entity (its
   * dependencies' outputs, the subtasks it awaits, lost attempts) left out and its times in the
   * columns' milliseconds, so the stored rendering and one made from the columns agree.
   */
  static Task asListed(Task t) {
    return new Task(
        t.id(),
        t.spec(),
        t.status(),
        t.attempts(),
        millis(t.createdAt()),
        millis(t.assignedAt()),
        millis(t.startedAt()),
        millis(t.completedAt()),
        millis(t.retryAt()),
        t.assignedAgent(),
        t.assignmentReason(),
        t.result(),
        t.progress(),
        null,
        t.submittedBy(),
        null,
        t.failedOn(),
        0,
        null);
  }

  /** {@code |user:alice|role:operator|}: what "approvals I may decide" matches with LIKE. */
  static String approvers(TaskSpec spec) {
    var gate = spec.gate();
    if (gate == null || gate.approval() == null) {
      return null;
    }
    return "|" + String.join("|", gate.approval().canonical()) + "|";
  }

  /** What a search by title compares: the title in lower case, at most its column's width. */
  static String titleSearch(String title) {
    if (title == null) {
      return null;
    }
    String lower = title.toLowerCase(Locale.ROOT);
    return lower.length() <= TITLE_SEARCH_WIDTH ? lower : lower.substring(0, TITLE_SEARCH_WIDTH);
  }

  private static Instant millis(Instant t) {
    return t == null ? null : t.truncatedTo(ChronoUnit.MILLIS);
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    long ms = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(ms);
  }

  static void setInstant(PreparedStatement st, int index, Instant value) throws SQLException {
    if (value == null) {
      st.setNull(index, Types.BIGINT);
    } else {
      st.setLong(index, value.toEpochMilli());
    }
  }
}
