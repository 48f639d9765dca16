package io.agenthive.persistence.readside;

import akka.projection.eventsourced.EventEnvelope;
import io.agenthive.task.TaskEvent;
import io.agenthive.task.TaskStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;

/**
 * Keeps {@code hive_task_view} in step with task events. A task's events within one projection
 * batch are folded into one row write (a task typically writes eight events within a second, so
 * this is most of the projection's work saved). Each row counts the events applied to it
 * ({@code events_applied}) and the last sequence number seen, so "every event exactly once" is
 * checkable against the journal.
 */
final class TaskViewUpdates {
  private static final String INSERT = "INSERT INTO hive_task_view (task_id, created_offset,"
      + " status, priority, agent_id, created_at_ms, completed_at_ms, last_sequence_nr,"
      + " events_applied) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String UPDATE = "UPDATE hive_task_view SET status = ?,"
      + " agent_id = COALESCE(?, agent_id), completed_at_ms = ?, last_sequence_nr = ?,"
      + " events_applied = events_applied + ? WHERE task_id = ?";
  // a dataset task's checkpoints change neither its status nor its agent
  private static final String COUNT_ONLY = "UPDATE hive_task_view SET last_sequence_nr = ?,"
      + " events_applied = events_applied + ? WHERE task_id = ?";

  private TaskViewUpdates() {}

  /** Applies one task's events of a batch, in journal order, with one statement. */
  static void apply(Connection c, String taskId, List<EventEnvelope<Object>> events)
      throws SQLException {
    EventEnvelope<Object> first = events.get(0);
    TaskEvent.TaskSubmitted submitted =
        first.event() instanceof TaskEvent.TaskSubmitted s ? s : null;
    TaskStatus status = TaskStatus.PENDING;
    String agent = null;
    Long completedAt = null;
    boolean statusChanged = false;
    for (EventEnvelope<Object> e : events) {
      TaskEvent event = (TaskEvent) e.event();
      if (event instanceof TaskEvent.TaskSubmitted || event instanceof TaskEvent.TaskProgressed) {
        continue;
      }
      statusChanged = true;
      status = statusAfter(event);
      if (event instanceof TaskEvent.TaskAssigned a) {
        agent = a.agentId();
      }
      completedAt = status.isTerminal() ? event.at().toEpochMilli() : null;
    }
    long lastSeq = events.get(events.size() - 1).sequenceNr();
    if (submitted != null) {
      try (PreparedStatement st = c.prepareStatement(INSERT)) {
        st.setString(1, taskId);
        st.setLong(2, ReadModelHandler.offsetOf(first));
        st.setString(3, status.label());
        st.setString(4, submitted.spec().priority().label());
        st.setString(5, agent);
        st.setLong(6, submitted.at().toEpochMilli());
        setNullableLong(st, 7, completedAt);
        st.setLong(8, lastSeq);
        st.setLong(9, events.size());
        st.executeUpdate();
      }
      return;
    }
    if (!statusChanged) {
      try (PreparedStatement st = c.prepareStatement(COUNT_ONLY)) {
        st.setLong(1, lastSeq);
        st.setLong(2, events.size());
        st.setString(3, taskId);
        st.executeUpdate();
      }
      return;
    }
    try (PreparedStatement st = c.prepareStatement(UPDATE)) {
      st.setString(1, status.label());
      st.setString(2, agent);
      setNullableLong(st, 3, completedAt);
      st.setLong(4, lastSeq);
      st.setLong(5, events.size());
      st.setString(6, taskId);
      st.executeUpdate();
    }
  }

  /** The status a task has after the event (the same rules as the entity's state). */
  static TaskStatus statusAfter(TaskEvent event) {
    if (event instanceof TaskEvent.TaskAssigned) {
      return TaskStatus.ASSIGNED;
    } else if (event instanceof TaskEvent.TaskStarted) {
      return TaskStatus.RUNNING;
    } else if (event instanceof TaskEvent.TaskCompleted) {
      return TaskStatus.COMPLETED;
    } else if (event instanceof TaskEvent.TaskFailed f) {
      return f.willRetry() ? TaskStatus.PENDING : TaskStatus.FAILED;
    } else if (event instanceof TaskEvent.TaskTimedOut t) {
      return t.willRetry() ? TaskStatus.PENDING : TaskStatus.FAILED;
    } else if (event instanceof TaskEvent.TaskCancelled) {
      return TaskStatus.CANCELLED;
    }
    return TaskStatus.PENDING; // TaskSubmitted, TaskRetryRequested
  }

  static void setNullableLong(PreparedStatement st, int index, Long value) throws SQLException {
    if (value == null) {
      st.setNull(index, Types.BIGINT);
    } else {
      st.setLong(index, value);
    }
  }
}
