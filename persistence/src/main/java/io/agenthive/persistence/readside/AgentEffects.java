package io.agenthive.persistence.readside;

import io.agenthive.task.AgentOutcome;
import io.agenthive.task.Task;
import io.agenthive.task.TaskEvent;
import io.agenthive.task.TaskStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a run of task events does to agents: attempts started and ended on them (their running count
 * and current task) and the outcomes of attempts they ran (their stats and learning).
 */
final class AgentEffects {
  private record Outcome(AgentOutcome outcome, TaskStatus taskAfter, Instant at) {}

  private static final class Effect {
    int runningDelta;
    String current;
    boolean currentEnded;
    final List<Outcome> outcomes = new ArrayList<>();
  }

  private final Map<String, Effect> byAgent = new HashMap<>();
  private final Set<String> learned = new HashSet<>();

  Set<String> agentIds() {
    return byAgent.keySet();
  }

  Set<String> learned() {
    return learned;
  }

  /** A task went from {@code before} to {@code after} through {@code event}. */
  void taskMoved(Task before, Task after, TaskEvent event) {
    String was = running(before) ? before.assignedAgent() : null;
    String now = running(after) ? after.assignedAgent() : null;
    if (was != null && !was.equals(now)) {
      Effect e = effect(was);
      e.runningDelta--;
      if (after.id().equals(e.current) || e.current == null) {
        e.currentEnded = true;
        e.current = null;
      }
    }
    if (now != null && !now.equals(was)) {
      Effect e = effect(now);
      e.runningDelta++;
      e.current = after.id();
      e.currentEnded = false;
    }
    AgentOutcome outcome = event.agentOutcome();
    if (outcome != null) {
      effect(outcome.agentId()).outcomes.add(new Outcome(outcome, after.status(), event.at()));
      if (!outcome.learning().isEmpty()) {
        learned.add(outcome.agentId());
      }
    }
  }

  /** The row with these effects applied. */
  AgentRows.Row applyTo(AgentRows.Row row) {
    Effect e = byAgent.get(row.agent().id());
    if (e == null) {
      return row;
    }
    var agent = row.agent();
    for (Outcome o : e.outcomes) {
      agent = agent.afterAttempt(o.outcome(), o.taskAfter(), o.at());
    }
    int running = Math.max(0, row.running() + e.runningDelta);
    String current =
        e.current != null ? e.current : e.currentEnded || running == 0 ? null : row.currentTaskId();
    return row.with(agent, running, running == 0 ? null : current);
  }

  private Effect effect(String agentId) {
    return byAgent.computeIfAbsent(agentId, id -> new Effect());
  }

  private static boolean running(Task t) {
    return t.exists()
        && t.assignedAgent() != null
        && (t.status() == TaskStatus.RUNNING || t.status() == TaskStatus.ASSIGNED);
  }
}
