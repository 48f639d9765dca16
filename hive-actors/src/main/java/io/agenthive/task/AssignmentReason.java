package io.agenthive.task;

import io.agenthive.common.CborSerializable;
import java.util.List;

/**
 * Why a task went to an agent: the policy, how many idle agents qualified, the best-scored of them
 * (at most a configured number, best first) and the winner. Journaled with every assignment.
 */
public record AssignmentReason(
    String policy, int qualified, List<Candidate> candidates, String winner, double winnerScore)
    implements CborSerializable {

  public record Candidate(String agentId, double score) implements CborSerializable {}
}
