package io.agenthive.persistence;

import akka.actor.typed.ActorSystem;
import io.agenthive.agent.Agent;
import io.agenthive.agent.AgentEvent;
import io.agenthive.task.AgentOutcome;
import io.agenthive.task.Task;
import io.agenthive.task.TaskEvent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The hive rebuilt event by event in journal order, with the same {@code apply} functions the live
 * entities use: every agent and task as of the last event applied. What {@link HiveReplay} and
 * {@link DecisionReplay} fold the journal into.
 */
final class HiveFold {
  final Map<String, Agent> agents = new LinkedHashMap<>();
  final Map<String, Task> tasks = new LinkedHashMap<>();
  private final int crashMemory;
  long offset;

  HiveFold(int crashMemory) {
    this.crashMemory = crashMemory;
  }

  /** How many crashes an agent's record remembers, as the live agents are configured. */
  static int crashMemory(ActorSystem<?> system) {
    return Math.max(1, system.settings().config().getInt("hive.core.agents.crash-limit"));
  }

  HiveFold apply(HiveEventFeed.FeedEvent e) {
    offset = e.offset();
    if (e.payload() instanceof TaskEvent te) {
      Task after = tasks.getOrDefault(e.entityId(), Task.empty(e.entityId())).apply(te);
      tasks.put(e.entityId(), after);
      AgentOutcome outcome = te.agentOutcome();
      Agent agent = outcome == null ? null : agents.get(outcome.agentId());
      if (agent != null) {
        // an agent's stats and learning are journaled with the outcomes of the tasks it ran
        agents.put(agent.id(), agent.afterAttempt(outcome, after.status(), te.at()));
      }
    } else if (e.payload() instanceof AgentEvent ae) {
      agents.put(
          e.entityId(),
          agents.getOrDefault(e.entityId(), Agent.empty(e.entityId())).apply(ae, crashMemory));
    }
    return this;
  }
}
