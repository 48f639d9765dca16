package io.agenthive.task;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.agenthive.common.CborSerializable;
import java.util.List;

/**
 * Why a task went to an agent: the policy, how many idle agents qualified, the best-scored of them
 * (at most a configured number, best first), the winner, and the agents that would have qualified
 * but were passed by ({@code skipped}: degraded ones, at most {@link #MAX_SKIPPED}; none in events
 * written before it existed). Journaled with every assignment.
 */
public record AssignmentReason(
    String policy,
    int qualified,
    List<Candidate> candidates,
    String winner,
    double winnerScore,
    List<Skipped> skipped)
    implements CborSerializable {
  public static final int MAX_SKIPPED = 5;

  /** Why a retry passed an agent by: it failed an earlier attempt of the same task. */
  public static final String FAILED_BEFORE = "failed an earlier attempt of this task";

  /**
   * Why an agent was passed by right after a node left or the matcher started in a cluster: it had
   * not answered the matcher's roll call yet, so it may be moving with its node's shards.
   */
  public static final String NOT_HEARD_FROM =
      "has not answered since a node left or the matcher started";

  @JsonCreator
  public AssignmentReason {
    skipped = skipped == null ? List.of() : List.copyOf(skipped);
  }

  public AssignmentReason(
      String policy, int qualified, List<Candidate> candidates, String winner, double winnerScore) {
    this(policy, qualified, candidates, winner, winnerScore, List.of());
  }

  public AssignmentReason withSkipped(List<Skipped> passedBy) {
    return new AssignmentReason(policy, qualified, candidates, winner, winnerScore, passedBy);
  }

  /**
   * One scored agent. {@code outcomes}: how many of the agent's attempts had ended into the record
   * it was scored on (its completed plus failed; an attempt that handed its work to subtasks counts
   * as neither), so a replay scores it on the same proficiencies even when the journal holds a
   * later outcome of it before this decision (the task's entity may write its start after a quicker
   * task's whole run); null in events written before it existed.
   */
  public record Candidate(String agentId, double score, Long outcomes) implements CborSerializable {
    @JsonCreator
    public Candidate {}

    public Candidate(String agentId, double score) {
      this(agentId, score, null);
    }
  }

  /** An agent the router passed by, and why (e.g. {@code degraded}: its endpoint fails fast). */
  public record Skipped(String agentId, String why) implements CborSerializable {}
}
