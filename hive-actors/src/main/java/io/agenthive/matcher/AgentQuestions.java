package io.agenthive.matcher;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which question ("which of these tasks do you still run?") is open with each agent, and what waits
 * to be asked next: {@link RunConfirmations}' bookkeeping, without its timers and messages. One
 * question per agent is open at a time. Each has a number of its own, which the answer names: a
 * late repeat of an earlier answer (a question is sent again until answered) cannot pass for the
 * open question's, which would settle as lost every task it did not mention.
 */
final class AgentQuestions {
  /** A question asked: its number, the tasks it names, and when it was first asked. */
  record Question(long number, Set<String> taskIds, Instant askedAt) {}

  // asked of the agent and not yet answered
  private final Map<String, Question> open = new HashMap<>();
  // to ask the agent once its open question is answered
  private final Map<String, Set<String>> next = new HashMap<>();
  private long lastNumber;

  /** The open question to {@code agentId}, or null. */
  Question open(String agentId) {
    return open.get(agentId);
  }

  /**
   * Asks about {@code taskIds}: true when this opened a question (to be sent); false when one is
   * open already, and what it lacks waits to be asked next.
   */
  boolean ask(String agentId, Set<String> taskIds, Instant now) {
    Question asked = open.get(agentId);
    if (asked == null) {
      open.put(agentId, new Question(++lastNumber, Set.copyOf(taskIds), now));
      return true;
    }
    if (!asked.taskIds().containsAll(taskIds)) {
      next.computeIfAbsent(agentId, a -> new LinkedHashSet<>()).addAll(taskIds);
    }
    return false;
  }

  /**
   * An answer to question {@code number} (0: whatever is open, as at the deadline or from a node
   * that does not number its answers): the question it closed, or null when none is open or the
   * answer is to another question.
   */
  Question answered(String agentId, long number) {
    Question asked = open.get(agentId);
    if (asked == null || (number != 0 && number != asked.number())) {
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
