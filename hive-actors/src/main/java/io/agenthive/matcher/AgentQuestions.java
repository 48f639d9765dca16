package io.agenthive.matcher;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which question ("which of these tasks do you still run?") is open with each agent, and what waits
 * to be asked next: {@link RunConfirmations}' bookkeeping, without its timers and messages. One
 * question per agent is open at a time, and an answer counts only for the question it names: a late
 * repeat of an earlier answer (questions are sent again until answered) cannot pass for the open
 * question's, which would settle as lost every task it did not mention.
 */
final class AgentQuestions {
  // asked of the agent and not yet answered
  private final Map<String, Set<String>> open = new HashMap<>();
  // to ask the agent once its open question is answered
  private final Map<String, Set<String>> next = new HashMap<>();

  /** The open question to {@code agentId}, or null. */
  Set<String> open(String agentId) {
    return open.get(agentId);
  }

  /**
   * Asks about {@code taskIds}: true when this opened a question (to be sent); false when one is
   * open already, and what it lacks waits to be asked next.
   */
  boolean ask(String agentId, Set<String> taskIds) {
    Set<String> asked = open.get(agentId);
    if (asked == null) {
      open.put(agentId, Set.copyOf(taskIds));
      return true;
    }
    if (!asked.containsAll(taskIds)) {
      next.computeIfAbsent(agentId, a -> new LinkedHashSet<>()).addAll(taskIds);
    }
    return false;
  }

  /**
   * An answer about {@code about} (null: whatever is open, as at the deadline): the question it
   * closed, or null when none is open or the answer is to another question.
   */
  Set<String> answered(String agentId, Set<String> about) {
    Set<String> asked = open.get(agentId);
    if (asked == null || (about != null && !about.equals(asked))) {
      return null;
    }
    open.remove(agentId);
    return asked;
  }

  /** What waits to be asked of {@code agentId} now that it has no open question, or null. */
  Set<String> takeNext(String agentId) {
    return next.remove(agentId);
  }
}
