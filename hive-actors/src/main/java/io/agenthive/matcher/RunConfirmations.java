package io.agenthive.matcher;

import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import io.agenthive.agent.AgentActor;
import io.agenthive.agent.AgentProtocol;
import io.agenthive.matcher.MatcherProtocol.Command;
import io.agenthive.matcher.MatcherProtocol.ConfirmAgain;
import io.agenthive.matcher.MatcherProtocol.ConfirmDeadline;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The matcher's questions to agents: which of these tasks do you still run? Asked after a rebuild,
 * a lost node, or a hand-over nothing confirmed; one open per agent ({@link AgentQuestions}). A
 * question is asked again every {@link #AGAIN} until answered (sent while the agent's shard moves,
 * it can be dropped), and given up at a deadline, when what it asked about counts as lost unless
 * heard of since.
 */
final class RunConfirmations {
  private static final Duration AGAIN = Duration.ofSeconds(2);

  private final TimerScheduler<Command> timers;
  private final ClusterSharding sharding;
  private final Duration deadline;
  private final Clock clock;
  private final AgentQuestions questions = new AgentQuestions();

  RunConfirmations(
      TimerScheduler<Command> timers, ClusterSharding sharding, Duration deadline, Clock clock) {
    this.timers = timers;
    this.sharding = sharding;
    this.deadline = deadline;
    this.clock = clock;
  }

  /** Asks {@code agentId} about {@code taskIds}, or after its open question what that lacks. */
  void ask(String agentId, Set<String> taskIds) {
    if (!questions.ask(agentId, taskIds, clock.instant())) {
      return;
    }
    askAgain(agentId);
    timers.startTimerWithFixedDelay("confirm-again-" + agentId, new ConfirmAgain(agentId), AGAIN);
    timers.startSingleTimer("confirm-" + agentId, new ConfirmDeadline(agentId), deadline);
  }

  /** Asks the open question again; a repeat changes nothing at the agent. */
  void askAgain(String agentId) {
    AgentQuestions.Question q = questions.open(agentId);
    if (q != null) {
      sharding
          .entityRefFor(AgentActor.TYPE_KEY, agentId)
          .tell(new AgentProtocol.ConfirmRuns(q.taskIds(), q.number()));
    }
  }

  /**
   * The agent answered question {@code number} (0: the open one, as at the deadline, or from a node
   * that does not number answers) that it still runs {@code still}: the rest is settled as lost
   * ({@link LostRuns#runsConfirmed}; without an answer, what was heard of since it was asked is
   * not). Returns the tasks settled so, or null when the answer is to no open question ({@link
   * AgentQuestions#answered}). A question waiting for this one is asked at once.
   */
  List<String> answered(String agentId, long number, Set<String> still, LostRuns lostRuns) {
    AgentQuestions.Question asked = questions.answered(agentId, number);
    if (asked == null) {
      return null;
    }
    Instant unansweredSince = number == 0 ? asked.askedAt() : null;
    List<String> lost = lostRuns.runsConfirmed(agentId, asked.taskIds(), still, unansweredSince);
    timers.cancel("confirm-" + agentId);
    timers.cancel("confirm-again-" + agentId);
    Set<String> waiting = questions.takeNext(agentId);
    if (waiting != null) {
      ask(agentId, waiting);
    }
    return lost;
  }
}
