package io.agenthive.persistence;

import io.agenthive.agent.AgentEvent;
import io.agenthive.task.TaskEvent;
import io.agenthive.workflow.WorkflowEvent;
import java.time.Instant;

/**
 * What a reader of the journal gets in place of an event it cannot deserialize. Tasks, agents and
 * workflows have a stand-in of their own event type, which their state applies (a task fails for
 * good, an agent is failed, a workflow ends failed), so the entity recovers and answers instead of
 * failing its recovery again and again. Other kinds (the access registry, budgets, dataset jobs)
 * have none: their recovery fails as before, on purpose — a key registry that silently skipped a
 * revocation would be worse than one that stops. Readers of the whole journal (the projection, the
 * event feed, export, time travel) get {@link UnreadableEvent} for those and skip it.
 */
public final class StandIns {
  private StandIns() {}

  /** The entity's own stand-in, or null when its kind has none. */
  public static Object forEntity(String persistenceId, long sequenceNr, Instant at, String why) {
    return switch (kind(persistenceId)) {
      case "Task" -> new TaskEvent.TaskUnreadable(sequenceNr, why, at);
      case "Agent" -> new AgentEvent.AgentUnreadable(sequenceNr, why, at);
      case "Workflow" -> new WorkflowEvent.WorkflowUnreadable(sequenceNr, why, at);
      default -> null;
    };
  }

  /** For readers of the whole journal: the entity's stand-in, else the generic one. */
  public static Object forReader(
      String persistenceId, long sequenceNr, long offset, Instant at, String why) {
    Object own = forEntity(persistenceId, sequenceNr, at, why);
    return own != null ? own : new UnreadableEvent(persistenceId, sequenceNr, offset, why, at);
  }

  /** The persistence id's type part: {@code Task|<id>} is a Task. */
  public static String kind(String persistenceId) {
    int bar = persistenceId.indexOf('|');
    return bar < 0 ? persistenceId : persistenceId.substring(0, bar);
  }
}
