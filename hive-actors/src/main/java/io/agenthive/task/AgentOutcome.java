package io.agenthive.task;

import io.agenthive.common.CborSerializable;
import java.util.List;

/**
 * What an attempt that ran on an agent adds to that agent's record: one more completed (when the
 * attempt succeeded) or failed attempt, its duration, the LLM tokens it used, and what the agent
 * learned. Journaled inside the task's outcome event, so an agent's stats and proficiencies are
 * derived from task events and cost the agent no journal write of its own. Absent for attempts that
 * never ran on the agent (cancelled, lost, not started).
 */
public record AgentOutcome(
    String agentId, long durationMs, long tokens, List<LearningChange> learning)
    implements CborSerializable {

  public AgentOutcome {
    learning = learning == null ? List.of() : List.copyOf(learning);
  }
}
