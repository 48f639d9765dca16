package io.agenthive.persistence.readside;

import io.agenthive.agent.Agent;
import io.agenthive.agent.AgentState;
import io.agenthive.agent.Capability;
import io.agenthive.skill.SkillRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An agent's row in {@code hive_agent_view} and its capabilities in {@code hive_agent_capability}:
 * the {@link Agent} record (its skill by name only) plus how many tasks it runs and one of them, as
 * the task events say.
 */
final class AgentRows {
  private static final String COLUMNS =
      "agent_id, created_offset, name, agent_type, state,"
          + " tasks_completed, tasks_failed, created_at_ms, last_sequence_nr, events_applied, skill,"
          + " max_concurrency, total_duration_ms, tokens_used, last_active_at_ms, running,"
          + " current_task_id";
  private static final String INSERT =
      "INSERT INTO hive_agent_view ("
          + COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String UPDATE =
      "UPDATE hive_agent_view SET state = ?,"
          + " tasks_completed = ?, tasks_failed = ?, last_sequence_nr = ?, events_applied = ?,"
          + " total_duration_ms = ?, tokens_used = ?, last_active_at_ms = ?, running = ?,"
          + " current_task_id = ? WHERE agent_id = ?";
  private static final int IN_LIST = 500;

  /** A row: the agent, where it sits in the list order, its runs, the projection's progress. */
  record Row(
      Agent agent,
      long createdOffset,
      long lastSequenceNr,
      long eventsApplied,
      int running,
      String currentTaskId) {

    Row with(Agent next, int runningNow, String current) {
      return new Row(next, createdOffset, lastSequenceNr, eventsApplied, runningNow, current);
    }
  }

  private AgentRows() {}

  /** The rows of these agents (all of them when {@code ids} is null), by id. */
  static Map<String, Row> load(Connection c, Collection<String> ids) throws SQLException {
    Map<String, Row> out = new LinkedHashMap<>();
    if (ids == null) {
      read(
          c, "SELECT " + COLUMNS + " FROM hive_agent_view ORDER BY created_offset", List.of(), out);
    } else {
      List<String> all = new ArrayList<>(ids);
      for (int from = 0; from < all.size(); from += IN_LIST) {
        List<String> part = all.subList(from, Math.min(all.size(), from + IN_LIST));
        read(
            c,
            "SELECT "
                + COLUMNS
                + " FROM hive_agent_view WHERE agent_id IN ("
                + "?"
                + ", ?".repeat(part.size() - 1)
                + ")",
            part,
            out);
      }
    }
    return out;
  }

  /** Rows in the order of {@code ids}, for a page; unknown ids skipped. */
  static List<Row> inOrder(Connection c, List<String> ids) throws SQLException {
    Map<String, Row> rows = load(c, ids);
    List<Row> out = new ArrayList<>(ids.size());
    ids.forEach(
        id -> {
          Row r = rows.get(id);
          if (r != null) {
            out.add(r);
          }
        });
    return out;
  }

  private static void read(Connection c, String sql, List<String> args, Map<String, Row> out)
      throws SQLException {
    Map<String, List<Capability>> caps = capabilities(c, args);
    try (PreparedStatement st = c.prepareStatement(sql)) {
      for (int i = 0; i < args.size(); i++) {
        st.setString(i + 1, args.get(i));
      }
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          String id = rs.getString("agent_id");
          Agent agent =
              new Agent(
                  id,
                  rs.getString("name"),
                  rs.getString("agent_type"),
                  SkillRef.named(rs.getString("skill")),
                  caps.getOrDefault(id, List.of()),
                  AgentState.valueOf(rs.getString("state").toUpperCase(Locale.ROOT)),
                  rs.getLong("tasks_completed"),
                  rs.getLong("tasks_failed"),
                  rs.getLong("total_duration_ms"),
                  rs.getLong("tokens_used"),
                  TaskRows.instant(rs, "created_at_ms"),
                  TaskRows.instant(rs, "last_active_at_ms"),
                  List.of(),
                  rs.getInt("max_concurrency"));
          out.put(
              id,
              new Row(
                  agent,
                  rs.getLong("created_offset"),
                  rs.getLong("last_sequence_nr"),
                  rs.getLong("events_applied"),
                  rs.getInt("running"),
                  rs.getString("current_task_id")));
        }
      }
    }
  }

  private static Map<String, List<Capability>> capabilities(Connection c, List<String> ids)
      throws SQLException {
    String where =
        ids.isEmpty() ? "" : " WHERE agent_id IN (" + "?" + ", ?".repeat(ids.size() - 1) + ")";
    Map<String, List<Capability>> out = new HashMap<>();
    try (PreparedStatement st =
        c.prepareStatement(
            "SELECT agent_id, capability, proficiency,"
                + " learning_rate FROM hive_agent_capability"
                + where
                + " ORDER BY agent_id, position")) {
      for (int i = 0; i < ids.size(); i++) {
        st.setString(i + 1, ids.get(i));
      }
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
              .add(new Capability(rs.getString(2), rs.getDouble(3), rs.getDouble(4)));
        }
      }
    }
    return out;
  }

  static void insert(Connection c, List<Row> rows) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    try (PreparedStatement st = c.prepareStatement(INSERT);
        PreparedStatement caps =
            c.prepareStatement(
                "INSERT INTO hive_agent_capability"
                    + " (agent_id, capability, position, proficiency, learning_rate)"
                    + " VALUES (?, ?, ?, ?, ?)")) {
      for (Row r : rows) {
        Agent a = r.agent();
        st.setString(1, a.id());
        st.setLong(2, r.createdOffset());
        st.setString(3, a.name());
        st.setString(4, a.type());
        st.setString(5, a.state().label());
        st.setLong(6, a.completed());
        st.setLong(7, a.failed());
        TaskRows.setInstant(st, 8, a.createdAt());
        st.setLong(9, r.lastSequenceNr());
        st.setLong(10, r.eventsApplied());
        st.setString(11, a.skill() == null ? null : a.skill().name());
        st.setInt(12, a.maxConcurrency());
        st.setLong(13, a.totalDurationMs());
        st.setLong(14, a.tokensUsed());
        TaskRows.setInstant(st, 15, a.lastActiveAt());
        st.setInt(16, r.running());
        st.setString(17, r.currentTaskId());
        st.addBatch();
        for (int i = 0; i < a.capabilities().size(); i++) {
          Capability cap = a.capabilities().get(i);
          caps.setString(1, a.id());
          caps.setString(2, cap.name());
          caps.setInt(3, i);
          caps.setDouble(4, cap.proficiency());
          caps.setDouble(5, cap.learningRate());
          caps.addBatch();
        }
      }
      st.executeBatch();
      caps.executeBatch();
    }
  }

  /** Updates the rows; {@code learned} says whose proficiencies changed. */
  static void update(Connection c, List<Row> rows, Collection<String> learned) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    try (PreparedStatement st = c.prepareStatement(UPDATE);
        PreparedStatement caps =
            c.prepareStatement(
                "UPDATE hive_agent_capability"
                    + " SET proficiency = ? WHERE agent_id = ? AND capability = ?")) {
      for (Row r : rows) {
        Agent a = r.agent();
        st.setString(1, a.state().label());
        st.setLong(2, a.completed());
        st.setLong(3, a.failed());
        st.setLong(4, r.lastSequenceNr());
        st.setLong(5, r.eventsApplied());
        st.setLong(6, a.totalDurationMs());
        st.setLong(7, a.tokensUsed());
        TaskRows.setInstant(st, 8, a.lastActiveAt());
        st.setInt(9, r.running());
        st.setString(10, r.currentTaskId());
        st.setString(11, a.id());
        st.addBatch();
        if (learned.contains(a.id())) {
          for (Capability cap : a.capabilities()) {
            caps.setDouble(1, cap.proficiency());
            caps.setString(2, a.id());
            caps.setString(3, cap.name());
            caps.addBatch();
          }
        }
      }
      st.executeBatch();
      caps.executeBatch();
    }
  }
}
