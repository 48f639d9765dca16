package io.agenthive.persistence.readside;

import akka.projection.eventsourced.EventEnvelope;
import io.agenthive.agent.AgentEvent;
import io.agenthive.agent.Capability;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Keeps {@code hive_agent_view} and {@code hive_agent_capability} in step with agent events; an
 * agent's events within one batch become one row write, like {@link TaskViewUpdates}.
 * Proficiencies are not kept here: they change on every outcome and the list reads each page's
 * agents from their actors anyway.
 */
final class AgentViewUpdates {
  private static final String INSERT = "INSERT INTO hive_agent_view (agent_id, created_offset,"
      + " name, agent_type, state, tasks_completed, tasks_failed, created_at_ms,"
      + " last_sequence_nr, events_applied) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String INSERT_CAPABILITY =
      "INSERT INTO hive_agent_capability (agent_id, capability) VALUES (?, ?)";
  private static final String UPDATE = "UPDATE hive_agent_view SET state = COALESCE(?, state),"
      + " tasks_completed = tasks_completed + ?, tasks_failed = tasks_failed + ?,"
      + " last_sequence_nr = ?, events_applied = events_applied + ? WHERE agent_id = ?";

  private AgentViewUpdates() {}

  static void apply(Connection c, String agentId, List<EventEnvelope<Object>> events)
      throws SQLException {
    EventEnvelope<Object> first = events.get(0);
    AgentEvent.AgentRegistered registered =
        first.event() instanceof AgentEvent.AgentRegistered r ? r : null;
    String state = registered == null ? null : "idle";
    long completed = 0;
    long failed = 0;
    for (EventEnvelope<Object> e : events) {
      if (e.event() instanceof AgentEvent.TaskOutcomeRecorded o) {
        completed += o.success() ? 1 : 0;
        failed += o.success() ? 0 : 1;
      } else if (e.event() instanceof AgentEvent.AgentStateChanged s) {
        state = s.to().label();
      }
    }
    long lastSeq = events.get(events.size() - 1).sequenceNr();
    if (registered == null) {
      try (PreparedStatement st = c.prepareStatement(UPDATE)) {
        st.setString(1, state);
        st.setLong(2, completed);
        st.setLong(3, failed);
        st.setLong(4, lastSeq);
        st.setLong(5, events.size());
        st.setString(6, agentId);
        st.executeUpdate();
      }
      return;
    }
    try (PreparedStatement st = c.prepareStatement(INSERT)) {
      st.setString(1, agentId);
      st.setLong(2, ReadModelHandler.offsetOf(first));
      st.setString(3, registered.spec().name());
      st.setString(4, registered.spec().type());
      st.setString(5, state);
      st.setLong(6, completed);
      st.setLong(7, failed);
      st.setLong(8, registered.at().toEpochMilli());
      st.setLong(9, lastSeq);
      st.setLong(10, events.size());
      st.executeUpdate();
    }
    try (PreparedStatement st = c.prepareStatement(INSERT_CAPABILITY)) {
      for (Capability capability : registered.spec().capabilities()) {
        st.setString(1, agentId);
        st.setString(2, capability.name());
        st.addBatch();
      }
      st.executeBatch();
    }
  }
}
