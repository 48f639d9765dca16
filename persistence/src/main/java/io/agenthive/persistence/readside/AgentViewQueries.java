package io.agenthive.persistence.readside;

import io.agenthive.agent.AgentState;
import io.agenthive.agent.AgentView;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import javax.sql.DataSource;

/**
 * Reads {@code hive_agent_view}: pages of agents in registration order with filters, each with its
 * stats and learned proficiencies, in one query per page (plus one for the page's capabilities).
 * "Working" is an idle agent that runs something.
 */
public final class AgentViewQueries extends ReadQueries {
  AgentViewQueries(DataSource pool, Executor blocking) {
    super(pool, blocking);
  }

  /** Null fields do not filter; {@code search}: a word in the name (any case) or an id's start. */
  public record Filter(AgentState state, String type, String capability, String search) {
    public Filter(AgentState state, String type, String capability) {
      this(state, type, capability, null);
    }
  }

  /** A page of agents in the list's order, its cursors and how many agents match in all. */
  public record AgentPage(List<AgentView> agents, ListWindow.Cursors cursors, long total) {}

  /** How many events the projection applied to an agent and its counters. */
  public record Applied(
      String agentId,
      String state,
      long tasksCompleted,
      long tasksFailed,
      long lastSequenceNr,
      long eventsApplied) {}

  public CompletionStage<AgentPage> page(Filter f, ListWindow window) {
    return query(
        c -> {
          StringBuilder where = new StringBuilder("1 = 1");
          List<Object> args = new ArrayList<>();
          if (f.state() == AgentState.WORKING || f.state() == AgentState.IDLE) {
            where
                .append(" AND state = 'idle' AND running ")
                .append(f.state() == AgentState.WORKING ? "> 0" : "= 0");
          } else if (f.state() != null) {
            where.append(" AND state = ?");
            args.add(f.state().label());
          }
          if (f.type() != null) {
            where.append(" AND agent_type = ?");
            args.add(f.type());
          }
          if (f.capability() != null) {
            where.append(
                " AND agent_id IN (SELECT agent_id FROM hive_agent_capability"
                    + " WHERE capability = ?)");
            args.add(f.capability());
          }
          if (f.search() != null && !f.search().isBlank()) {
            String q = TaskViewQueries.likeEscaped(f.search().strip().toLowerCase(Locale.ROOT));
            where.append(" AND (LOWER(name) LIKE ? ESCAPE '!' OR agent_id LIKE ? ESCAPE '!')");
            args.add("%" + q + "%");
            args.add(q + "%");
          }
          var page =
              window.read(
                  c,
                  "hive_agent_view",
                  "agent_id",
                  "agent_id, created_offset",
                  where.toString(),
                  args,
                  rs -> rs.getString(1));
          List<AgentView> agents = new ArrayList<>(page.rows().size());
          for (AgentRows.Row r : AgentRows.inOrder(c, page.rows())) {
            agents.add(AgentView.of(r.agent(), r.running(), r.currentTaskId()));
          }
          return new AgentPage(
              agents, page.cursors(), ReadQueries.count(c, "hive_agent_view", where, args));
        });
  }

  /** The first {@code n} agents not retired, in registration order (for the dashboard). */
  public CompletionStage<List<AgentView>> first(int n) {
    return page(new Filter(null, null, null), new ListWindow(false, null, null, n))
        .thenApply(p -> p.agents().stream().filter(a -> a.state() != AgentState.RETIRED).toList());
  }

  public CompletionStage<List<Applied>> applied() {
    return query(
        c -> {
          List<Applied> out = new ArrayList<>();
          try (PreparedStatement st =
                  c.prepareStatement(
                      "SELECT agent_id, state, tasks_completed,"
                          + " tasks_failed, last_sequence_nr, events_applied FROM hive_agent_view");
              ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
              out.add(
                  new Applied(
                      rs.getString(1),
                      rs.getString(2),
                      rs.getLong(3),
                      rs.getLong(4),
                      rs.getLong(5),
                      rs.getLong(6)));
            }
          }
          return out;
        });
  }
}
