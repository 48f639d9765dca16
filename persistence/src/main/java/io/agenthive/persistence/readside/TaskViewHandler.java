package io.agenthive.persistence.readside;

import akka.projection.eventsourced.EventEnvelope;
import akka.projection.jdbc.javadsl.JdbcHandler;
import io.agenthive.task.TaskEvent;
import io.agenthive.task.TaskStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;

/**
 * Keeps {@code hive_task_view} in step with task events, a batch per transaction together with
 * the projection's offset. Each row counts the events applied to it ({@code events_applied}) and
 * the last sequence number seen, so "every event exactly once" is checkable against the journal.
 */
final class TaskViewHandler extends JdbcHandler<List<EventEnvelope<Object>>, PooledJdbcSession> {
  private static final String INSERT = "INSERT INTO hive_task_view (task_id, created_offset,"
      + " status, priority, agent_id, created_at_ms, completed_at_ms, last_sequence_nr,"
      + " events_applied) VALUES (?, ?, ?, ?, NULL, ?, NULL, ?, 1)";
  private static final String UPDATE = "UPDATE hive_task_view SET status = ?,"
      + " agent_id = COALESCE(?, agent_id), completed_at_ms = ?, last_sequence_nr = ?,"
      + " events_applied = events_applied + 1 WHERE task_id = ?";

  @Override
  public void process(PooledJdbcSession session, List<EventEnvelope<Object>> envelopes)
      throws Exception {
    session.withConnection(c -> {
      for (EventEnvelope<Object> e : envelopes) {
        if (e.event() instanceof TaskEvent event) {
          apply(c, taskId(e.persistenceId()), e, event);
        }
      }
      return null;
    });
  }

  private static String taskId(String persistenceId) {
    return persistenceId.substring(persistenceId.indexOf('|') + 1);
  }

  private static void apply(Connection c, String id, EventEnvelope<Object> e, TaskEvent event)
      throws Exception {
    if (event instanceof TaskEvent.TaskSubmitted s) {
      try (PreparedStatement st = c.prepareStatement(INSERT)) {
        st.setString(1, id);
        st.setLong(2, offsetOf(e));
        st.setString(3, TaskStatus.PENDING.label());
        st.setString(4, s.spec().priority().label());
        st.setLong(5, s.at().toEpochMilli());
        st.setLong(6, e.sequenceNr());
        st.executeUpdate();
      }
      return;
    }
    TaskStatus status = statusAfter(event);
    String agent = event instanceof TaskEvent.TaskAssigned a ? a.agentId() : null;
    Instant completed = status != null && status.isTerminal() ? event.at() : null;
    try (PreparedStatement st = c.prepareStatement(UPDATE)) {
      st.setString(1, status == null ? null : status.label());
      st.setString(2, agent);
      if (completed == null) {
        st.setNull(3, java.sql.Types.BIGINT);
      } else {
        st.setLong(3, completed.toEpochMilli());
      }
      st.setLong(4, e.sequenceNr());
      st.setString(5, id);
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
    return TaskStatus.PENDING; // TaskRetryRequested
  }

  private static long offsetOf(EventEnvelope<Object> e) {
    return e.offset() instanceof akka.persistence.query.Sequence s ? s.value() : 0L;
  }
}
