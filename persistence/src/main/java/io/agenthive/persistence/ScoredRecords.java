package io.agenthive.persistence;

import io.agenthive.agent.Agent;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Each agent's proficiencies after each of its latest outcomes, as the journal folds them, so a
 * decision can be scored on the record the matcher scored: the one with as many ended attempts as
 * the decision's candidate says ({@link io.agenthive.task.AssignmentReason.Candidate#outcomes}).
 *
 * <p>Why: the journal can hold an agent's later outcome before a decision that did not see it. The
 * matcher decides task B, then task A for the same agent; A's entity writes its start and A runs
 * and ends, all before B's entity (still writing B's submission) writes B's start. Folded in
 * journal order, the agent already has A's learning at B's decision. Only the latest outcomes are
 * kept: the two writes are milliseconds apart.
 */
final class ScoredRecords {
  private static final int KEPT_PER_AGENT = 64;

  private record Step(long outcomes, Map<String, Double> proficiencies) {}

  private final Map<String, ArrayDeque<Step>> byAgent = new HashMap<>();

  /** After an event that may have changed {@code agent}'s record (null: none to note). */
  void note(Agent agent) {
    if (agent == null) {
      return;
    }
    ArrayDeque<Step> steps = byAgent.computeIfAbsent(agent.id(), id -> new ArrayDeque<>());
    long outcomes = agent.experienceCount();
    if (!steps.isEmpty() && steps.peekLast().outcomes() == outcomes) {
      steps.pollLast(); // the same count: an event that did not end an attempt
    }
    steps.addLast(new Step(outcomes, agent.proficiencies()));
    if (steps.size() > KEPT_PER_AGENT) {
      steps.pollFirst();
    }
  }

  /**
   * {@code agent}'s proficiencies after {@code outcomes} ended attempts: its current ones when that
   * is its count now, when the decision did not record it (events before it existed), or when so
   * old a record is no longer kept (the score then differs, and the decision says so).
   */
  Map<String, Double> asScored(Agent agent, Long outcomes) {
    if (outcomes == null || outcomes == agent.experienceCount()) {
      return agent.proficiencies();
    }
    for (Step step : byAgent.getOrDefault(agent.id(), new ArrayDeque<>())) {
      if (step.outcomes() == outcomes) {
        return step.proficiencies();
      }
    }
    return agent.proficiencies();
  }
}
