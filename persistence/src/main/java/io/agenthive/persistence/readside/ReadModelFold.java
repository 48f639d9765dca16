package io.agenthive.persistence.readside;

import io.agenthive.agent.Agent;
import io.agenthive.agent.AgentEvent;
import io.agenthive.task.Task;
import io.agenthive.task.TaskEvent;
import io.agenthive.task.TaskStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Folds a run of journaled events onto the read tables' rows, with the same {@code apply} functions
 * the entities use: each task and agent read once, whatever number of its events the run holds. The
 * projection writes the result; a restarting matcher applies it to what it read from the tables
 * (the journal after the projection's offset).
 */
final class ReadModelFold {
  /** One journaled event: whose, its sequence number, its place in the journal. */
  record Journaled(String persistenceId, long sequenceNr, long offset, Object event) {}

  /** Where the fold reads the rows as they were before the run. */
  interface Rows {
    Map<String, TaskRows.Row> tasks(Set<String> ids) throws SQLException;

    Map<String, AgentRows.Row> agents(Set<String> ids) throws SQLException;
  }

  /** The rows as the read tables hold them. */
  static Rows tables(Connection c) {
    return new Rows() {
      @Override
      public Map<String, TaskRows.Row> tasks(Set<String> ids) throws SQLException {
        return TaskRows.load(c, ids);
      }

      @Override
      public Map<String, AgentRows.Row> agents(Set<String> ids) throws SQLException {
        return AgentRows.load(c, ids);
      }
    };
  }

  /** Rows after the run, new and changed, and how many tasks moved between statuses. */
  record Folded(
      List<TaskRows.Row> newTasks,
      List<TaskRows.Row> changedTasks,
      List<AgentRows.Row> newAgents,
      List<AgentRows.Row> changedAgents,
      Set<String> learned,
      Map<TaskStatus, Long> statusDelta) {}

  private ReadModelFold() {}

  static Folded fold(Rows rows, List<Journaled> events) throws SQLException {
    Map<String, List<Journaled>> tasks = new LinkedHashMap<>();
    Map<String, List<Journaled>> agents = new LinkedHashMap<>();
    for (Journaled e : events) {
      if (e.event() instanceof TaskEvent) {
        tasks.computeIfAbsent(entityId(e.persistenceId()), k -> new ArrayList<>()).add(e);
      } else if (e.event() instanceof AgentEvent) {
        agents.computeIfAbsent(entityId(e.persistenceId()), k -> new ArrayList<>()).add(e);
      }
    }
    AgentEffects effects = new AgentEffects();
    Map<TaskStatus, Long> delta = new EnumMap<>(TaskStatus.class);
    List<TaskRows.Row> newTasks = new ArrayList<>();
    List<TaskRows.Row> changedTasks = new ArrayList<>();
    Map<String, TaskRows.Row> knownTasks = tasks.isEmpty() ? Map.of() : rows.tasks(tasks.keySet());
    for (var entry : tasks.entrySet()) {
      TaskRows.Row row = knownTasks.get(entry.getKey());
      Task task = row == null ? Task.empty(entry.getKey()) : row.task();
      TaskStatus before = task.status();
      for (Journaled e : entry.getValue()) {
        Task next = task.apply((TaskEvent) e.event());
        effects.taskMoved(task, next, (TaskEvent) e.event());
        task = next;
      }
      if (task.spec() == null) {
        continue; // its submission could not be read: nothing to list (the quarantine names it)
      }
      if (before != task.status()) {
        if (before != null) {
          delta.merge(before, -1L, Long::sum);
        }
        delta.merge(task.status(), 1L, Long::sum);
      }
      List<Journaled> own = entry.getValue();
      long lastSeq = own.get(own.size() - 1).sequenceNr();
      if (row == null) {
        newTasks.add(new TaskRows.Row(task, own.get(0).offset(), lastSeq, own.size()));
      } else {
        changedTasks.add(
            new TaskRows.Row(task, row.createdOffset(), lastSeq, row.eventsApplied() + own.size()));
      }
    }
    Set<String> agentIds = new HashSet<>(agents.keySet());
    agentIds.addAll(effects.agentIds());
    List<AgentRows.Row> newAgents = new ArrayList<>();
    List<AgentRows.Row> changedAgents = new ArrayList<>();
    Map<String, AgentRows.Row> knownAgents = agentIds.isEmpty() ? Map.of() : rows.agents(agentIds);
    for (String id : agentIds) {
      AgentRows.Row row = knownAgents.get(id);
      List<Journaled> own = agents.getOrDefault(id, List.of());
      if (own.stream()
          .anyMatch(e -> e.event() instanceof AgentEvent.CapabilityProficiencyChanged)) {
        effects.learned().add(id); // an older journal's learning, journaled by the agent itself
      }
      AgentRows.Row folded = own(id, row, own);
      if (folded != null) {
        (row == null ? newAgents : changedAgents).add(effects.applyTo(folded));
      }
    }
    return new Folded(newTasks, changedTasks, newAgents, changedAgents, effects.learned(), delta);
  }

  /** The agent's own events applied to its row; null for an agent never registered. */
  private static AgentRows.Row own(String id, AgentRows.Row row, List<Journaled> events) {
    Agent agent = row == null ? Agent.empty(id) : row.agent();
    for (Journaled e : events) {
      agent = agent.apply((AgentEvent) e.event(), 1);
    }
    if (!agent.registered()) {
      return null;
    }
    if (events.isEmpty()) {
      return row;
    }
    long lastSeq = events.get(events.size() - 1).sequenceNr();
    return row == null
        ? new AgentRows.Row(agent, events.get(0).offset(), lastSeq, events.size(), 0, null)
        : new AgentRows.Row(
            agent,
            row.createdOffset(),
            lastSeq,
            row.eventsApplied() + events.size(),
            row.running(),
            row.currentTaskId());
  }

  /** {@code Task|<id>} → {@code <id>}. */
  static String entityId(String persistenceId) {
    return persistenceId.substring(persistenceId.indexOf('|') + 1);
  }
}
