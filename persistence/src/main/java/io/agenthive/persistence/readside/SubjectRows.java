package io.agenthive.persistence.readside;

import com.fasterxml.jackson.databind.node.TextNode;
import io.agenthive.common.PersonalFields;
import io.agenthive.task.Task;
import io.agenthive.task.TaskResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * An erased subject's task rows: each row's payloads (input, output, errors, what its dependencies
 * left it) rewritten as erased, and the blob of an output too large for its event named so that it
 * can be deleted. Run by the erasure itself, and again by the projection when the erasure's event
 * reaches it (so a row the projection wrote from an older event meanwhile is scrubbed too).
 */
public final class SubjectRows {
  /**
   * One of the subject's tasks, and the blobs that hold its outputs (an output too large for an
   * event).
   */
  public record SubjectTask(String taskId, List<String> blobs) {}

  private SubjectRows() {}

  /** The subject's tasks and their blobs, read only (the read model scrubs their rows). */
  static List<SubjectTask> tasksOf(Connection c, String subject) throws SQLException {
    List<SubjectTask> out = new ArrayList<>();
    for (String id : ids(c, subject)) {
      out.add(new SubjectTask(id, blobsOf(c, id)));
    }
    return out;
  }

  /** Rewrites the subject's rows as erased; the read model's, in its own transaction. */
  static void scrub(Connection c, String subject, ListedTaskJson listed) throws SQLException {
    List<TaskRows.Row> rows = new ArrayList<>();
    for (TaskRows.Row r : TaskRows.load(c, ids(c, subject)).values()) {
      rows.add(
          new TaskRows.Row(
              erased(r.task()), r.createdOffset(), r.lastSequenceNr(), r.eventsApplied()));
    }
    TaskRows.update(c, rows, listed);
  }

  private static List<String> ids(Connection c, String subject) throws SQLException {
    return column(c, "SELECT task_id FROM hive_task_view WHERE subject = ?", subject);
  }

  /** The blobs kept for a task (found by task, so a row scrubbed before still finds them). */
  private static List<String> blobsOf(Connection c, String taskId) throws SQLException {
    return column(c, "SELECT blob_id FROM hive_blob WHERE task_id = ?", taskId);
  }

  /** The first column of {@code sql}'s rows, with {@code arg} as its one parameter. */
  private static List<String> column(Connection c, String sql, String arg) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement st = c.prepareStatement(sql)) {
      st.setString(1, arg);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  /** The task with its payloads erased; an output kept in the blob store reads as erased too. */
  static Task erased(Task task) {
    Task t = PersonalFields.erased(task);
    TaskResult r = t.result();
    if (r == null || r.stored() == null) {
      return t;
    }
    TaskResult gone =
        new TaskResult(
            r.success(),
            TextNode.valueOf(PersonalFields.ERASED),
            r.error(),
            r.durationMs(),
            r.qualityScore(),
            null);
    return t.withResult(gone);
  }
}
