package io.agenthive.persistence.readside;

import io.agenthive.agent.AgentState;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import javax.sql.DataSource;

/**
 * Reads {@code hive_agent_view}: pages of agent ids in registration order with filters. The table
 * holds each agent's settled state; "working" is not journaled (a run never outlives its agent),
 * so a working agent is listed here as idle.
 */
public final class AgentViewQueries extends ReadQueries {
  AgentViewQueries(DataSource pool, Executor blocking) {
    super(pool, blocking);
  }

  /** Null fields do not filter. {@code settledState} is never {@code WORKING}. */
  public record Filter(AgentState settledState, String type, String capability) {}

  /** How many events the projection applied to an agent and its counters. */
  public record Applied(String agentId, String state, long tasksCompleted, long tasksFailed,
      long lastSequenceNr, long eventsApplied) {}

  public CompletionStage<Page> page(Filter f, String cursor, int limit) {
    return query(c -> {
      StringBuilder where = new StringBuilder("1 = 1");
      List<Object> args = new ArrayList<>();
      if (f.settledState() != null) {
        where.append(" AND state = ?");
        args.add(f.settledState().label());
      }
      if (f.type() != null) {
        where.append(" AND agent_type = ?");
        args.add(f.type());
      }
      if (f.capability() != null) {
        where.append(" AND agent_id IN (SELECT agent_id FROM hive_agent_capability"
            + " WHERE capability = ?)");
        args.add(f.capability());
      }
      return page(c, "hive_agent_view", "agent_id", where.toString(), args, cursor, limit);
    });
  }

  public CompletionStage<List<Applied>> applied() {
    return query(c -> {
      List<Applied> out = new ArrayList<>();
      try (PreparedStatement st = c.prepareStatement("SELECT agent_id, state, tasks_completed,"
              + " tasks_failed, last_sequence_nr, events_applied FROM hive_agent_view");
          ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(new Applied(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
              rs.getLong(5), rs.getLong(6)));
        }
      }
      return out;
    });
  }
}
