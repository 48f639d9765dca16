package io.agenthive.persistence.readside;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import akka.pattern.Patterns;
import akka.projection.ProjectionId;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import io.agenthive.agent.Agent;
import io.agenthive.common.HiveTags;
import io.agenthive.matcher.Backlog;
import io.agenthive.persistence.Quarantine;
import io.agenthive.task.Priority;
import io.agenthive.task.TaskStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a (re)starting matcher rebuilds from: the read tables, plus the journal after the
 * projection's offset folded onto them, read in one repeatable-read transaction so the tables and
 * the journal's tail are one consistent picture. Anything journaled after that picture reaches the
 * matcher as a message. When the projection is far behind (a rebuild of the tables) it first waits
 * for it to come within {@link #MAX_TAIL} events, so the tail held in memory stays small.
 */
public final class ReadSideBacklog implements Backlog {
  static final long MAX_TAIL = 20_000;
  private static final int FOLD_BATCH = 1_000;
  private static final Duration POLL = Duration.ofMillis(250);
  private static final Logger log = LoggerFactory.getLogger(ReadSideBacklog.class);
  private final ActorSystem<?> system;
  private final Executor blocking;

  public ReadSideBacklog(ActorSystem<?> system) {
    this.system = system;
    this.blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
  }

  @Override
  public CompletionStage<Snapshot> load() {
    return ReadSide.start(system)
        .thenCompose(rs -> caughtUp(rs).thenApplyAsync(done -> read(rs), blocking));
  }

  /** Completes when the projection is within {@link #MAX_TAIL} events of the journal's end. */
  private CompletionStage<Long> caughtUp(ReadSide rs) {
    return CompletableFuture.supplyAsync(() -> lag(rs), blocking)
        .thenCompose(
            lag -> {
              if (lag <= MAX_TAIL) {
                return CompletableFuture.completedFuture(lag);
              }
              log.info("Waiting for the read model to catch up: {} events behind the journal", lag);
              return Patterns.after(
                  POLL,
                  system.classicSystem().scheduler(),
                  system.executionContext(),
                  () -> caughtUp(rs));
            });
  }

  private long lag(ReadSide rs) {
    try (Connection c = rs.pool().getConnection()) {
      try {
        long offset = ReadTables.offset(c, rs.offsetTable(), projectionId());
        // the projection reads tagged events only: its lag is up to the newest tagged event
        // (every event is tagged, so the difference of their orderings is a count; MAX is an
        // index read, where counting the rows in between would scan them)
        try (PreparedStatement st =
                c.prepareStatement("SELECT COALESCE(MAX(\"event_id\"), 0) FROM \"event_tag\"");
            ResultSet r = st.executeQuery()) {
          r.next();
          return r.getLong(1) - Math.max(0, offset);
        }
      } finally {
        c.rollback();
      }
    } catch (SQLException e) {
      throw new CompletionException(e);
    }
  }

  private static ProjectionId projectionId() {
    return ProjectionId.of(ReadSide.PROJECTION, HiveTags.ALL);
  }

  private Snapshot read(ReadSide rs) {
    try (Connection c = rs.pool().getConnection()) {
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      try {
        long stored = ReadTables.offset(c, rs.offsetTable(), projectionId());
        long offset = Math.max(0, stored);
        // without an offset the rows are an older model's (the projection empties them when it
        // starts): the picture is the whole journal, folded onto nothing
        boolean rows = stored >= 0;
        Map<String, Agent> agents = new LinkedHashMap<>();
        if (rows) {
          AgentRows.load(c, null).forEach((id, row) -> agents.put(id, row.agent()));
        }
        Map<String, OpenTask> open = rows ? openTasks(c) : new LinkedHashMap<>();
        Map<String, Instant> wakeups = rows ? wakeups(c) : new LinkedHashMap<>();
        Map<TaskStatus, Long> counts = new EnumMap<>(TaskStatus.class);
        if (rows) {
          counts.putAll(TaskViewQueries.counts(c));
        }
        Tail tail = new Tail(c);
        List<ReadModelFold.Journaled> events = tail.after(offset);
        for (int from = 0; from < events.size(); from += FOLD_BATCH) {
          tail.apply(events.subList(from, Math.min(events.size(), from + FOLD_BATCH)));
        }
        tail.overlay(agents, open, counts, wakeups);
        log.info(
            "Backlog read: {} agents, {} open tasks, {} journal events after the read model",
            agents.size(),
            open.size(),
            events.size());
        return new Snapshot(
            List.copyOf(agents.values()), List.copyOf(open.values()), counts, wakeups);
      } finally {
        c.rollback();
        c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      }
    } catch (SQLException e) {
      throw new CompletionException(e);
    }
  }

  private static Map<String, OpenTask> openTasks(Connection c) throws SQLException {
    Map<String, OpenTask> open = new LinkedHashMap<>();
    try (PreparedStatement st =
            c.prepareStatement(
                "SELECT task_id, priority,"
                    + " requirements_json, created_offset, created_at_ms, status, agent_id, retry_at_ms,"
                    + " workflow_id, submitted_by, failed_on_json"
                    + " FROM hive_task_view WHERE status IN ('pending', 'assigned', 'running')");
        ResultSet r = st.executeQuery()) {
      while (r.next()) {
        open.put(
            r.getString(1),
            new OpenTask(
                r.getString(1),
                Priority.valueOf(r.getString(2).toUpperCase(Locale.ROOT)),
                TaskRows.requirements(r.getString(3)),
                r.getLong(4),
                TaskRows.instant(r, "created_at_ms"),
                TaskRows.status(r.getString(6)),
                r.getString(7),
                TaskRows.instant(r, "retry_at_ms"),
                r.getString(9),
                r.getString(10),
                TaskRows.failedOn(r.getString(11))));
      }
    }
    return open;
  }

  /** Every task that time alone changes next, and when: the hive's durable timers. */
  private static Map<String, Instant> wakeups(Connection c) throws SQLException {
    Map<String, Instant> out = new LinkedHashMap<>();
    // a range, not IS NOT NULL: H2 reads the whole table for IS NOT NULL (6 s at start on 200,000
    // tasks), while a range reads only the rows its index holds
    try (PreparedStatement st =
        c.prepareStatement("SELECT task_id, wake_at_ms FROM hive_task_view WHERE wake_at_ms > ?")) {
      st.setLong(1, Long.MIN_VALUE);
      try (ResultSet r = st.executeQuery()) {
        while (r.next()) {
          out.put(r.getString(1), Instant.ofEpochMilli(r.getLong(2)));
        }
      }
    }
    return out;
  }

  /** The journal after the tables' offset, folded onto their rows in memory. */
  private final class Tail {
    private final Connection c;
    private final Map<String, TaskRows.Row> tasks = new LinkedHashMap<>();
    private final Map<String, AgentRows.Row> agents = new LinkedHashMap<>();
    private final Map<TaskStatus, Long> delta = new EnumMap<>(TaskStatus.class);
    private final Serialization serialization = SerializationExtension.get(system.classicSystem());
    private final Quarantine quarantine = Quarantine.get(system);

    Tail(Connection c) {
      this.c = c;
    }

    List<ReadModelFold.Journaled> after(long offset) throws SQLException {
      List<ReadModelFold.Journaled> out = new ArrayList<>();
      try (PreparedStatement st =
          c.prepareStatement(
              "SELECT j.\"ordering\","
                  + " j.\"persistence_id\", j.\"sequence_number\", j.\"event_payload\","
                  + " j.\"event_ser_id\", j.\"event_ser_manifest\", j.\"write_timestamp\""
                  // the journal's range first, each row's tag looked up: as a join, H2 read the
                  // whole tag table first (2.6 s at start on 600,000 events, 26 ms this way)
                  + " FROM \"event_journal\" j WHERE j.\"ordering\" > ? AND EXISTS (SELECT 1"
                  + " FROM \"event_tag\" t WHERE t.\"event_id\" = j.\"ordering\" AND t.\"tag\" = ?)"
                  + " ORDER BY j.\"ordering\"")) {
        st.setLong(1, offset);
        st.setString(2, HiveTags.ALL);
        try (ResultSet r = st.executeQuery()) {
          while (r.next()) {
            // a row that cannot be read stands in as what the fold skips or applies as damage
            Object event =
                quarantine.event(
                    serialization,
                    r.getString(2),
                    r.getLong(3),
                    r.getLong(1),
                    r.getLong(7),
                    r.getBytes(4),
                    r.getInt(5),
                    r.getString(6));
            out.add(new ReadModelFold.Journaled(r.getString(2), r.getLong(3), r.getLong(1), event));
          }
        }
      }
      return out;
    }

    void apply(List<ReadModelFold.Journaled> events) throws SQLException {
      ReadModelFold.Folded f =
          ReadModelFold.fold(
              new ReadModelFold.Rows() {
                @Override
                public Map<String, TaskRows.Row> tasks(Set<String> ids) throws SQLException {
                  return overlaid(ids, tasks, missing -> TaskRows.load(c, missing));
                }

                @Override
                public Map<String, AgentRows.Row> agents(Set<String> ids) throws SQLException {
                  return overlaid(ids, agents, missing -> AgentRows.load(c, missing));
                }
              },
              events);
      f.newTasks().forEach(t -> tasks.put(t.task().id(), t));
      f.changedTasks().forEach(t -> tasks.put(t.task().id(), t));
      f.newAgents().forEach(a -> agents.put(a.agent().id(), a));
      f.changedAgents().forEach(a -> agents.put(a.agent().id(), a));
      f.statusDelta().forEach((s, n) -> delta.merge(s, n, Long::sum));
    }

    /** The tables' picture with the tail applied. */
    void overlay(
        Map<String, Agent> agentsOut,
        Map<String, OpenTask> openOut,
        Map<TaskStatus, Long> countsOut,
        Map<String, Instant> wakeupsOut) {
      agents.forEach((id, row) -> agentsOut.put(id, row.agent()));
      delta.forEach((s, n) -> countsOut.merge(s, n, Long::sum));
      tasks.forEach(
          (id, row) -> {
            var t = row.task();
            if (t.wakeAt() != null) {
              wakeupsOut.put(id, t.wakeAt());
            } else {
              wakeupsOut.remove(id);
            }
            boolean isOpen =
                t.status() == TaskStatus.PENDING
                    || t.status() == TaskStatus.RUNNING
                    || t.status() == TaskStatus.ASSIGNED;
            if (!isOpen || t.spec().hasDataset() && t.status() != TaskStatus.PENDING) {
              openOut.remove(id);
              return;
            }
            openOut.put(
                id,
                new OpenTask(
                    id,
                    t.spec().priority(),
                    t.requirementsNow(),
                    row.createdOffset(),
                    t.createdAt(),
                    t.status(),
                    t.assignedAgent(),
                    t.retryAt(),
                    t.spec().dependencies() == null ? null : t.spec().dependencies().workflowId(),
                    t.submittedBy(),
                    t.failedOn()));
          });
    }
  }

  private interface Loader<R> {
    Map<String, R> load(Set<String> ids) throws SQLException;
  }

  private static <R> Map<String, R> overlaid(
      Set<String> ids, Map<String, R> overlay, Loader<R> tables) throws SQLException {
    Map<String, R> out = new LinkedHashMap<>();
    Set<String> missing = new HashSet<>();
    for (String id : ids) {
      R r = overlay.get(id);
      if (r != null) {
        out.put(id, r);
      } else {
        missing.add(id);
      }
    }
    if (!missing.isEmpty()) {
      out.putAll(tables.load(missing));
    }
    return out;
  }
}
