package io.agenthive.matcher;

import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import io.agenthive.agent.AgentActor;
import io.agenthive.agent.AgentProtocol;
import io.agenthive.matcher.MatcherProtocol.Command;
import io.agenthive.matcher.MatcherProtocol.ConfirmAgain;
import io.agenthive.matcher.MatcherProtocol.ConfirmDeadline;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The matcher's questions to agents after a rebuild or a lost node: which of these tasks do you
 * still run? One question per agent at a time, so its answer is matched to what was asked. It is
 * asked again every {@link #AGAIN} until answered (sent while the agent's shard moves, it can be
 * dropped), and given up at a deadline, when all it asked about counts as lost.
 */
final class RunConfirmations {
  private static final Duration AGAIN = Duration.ofSeconds(2);

  private final TimerScheduler<Command> timers;
  private final ClusterSharding sharding;
  private final Duration deadline;
  // tasks the journal says an agent runs, asked of it and not yet answered
  private final Map<String, Set<String>> asked = new HashMap<>();

  RunConfirmations(TimerScheduler<Command> timers, ClusterSharding sharding, Duration deadline) {
    this.timers = timers;
    this.sharding = sharding;
    this.deadline = deadline;
  }

  /** Asks {@code agentId} about {@code taskIds}, unless a question to it is still open. */
  void ask(String agentId, Set<String> taskIds) {
    if (asked.containsKey(agentId)) {
      return;
    }
    asked.put(agentId, taskIds);
    askAgain(agentId);
    timers.startTimerWithFixedDelay("confirm-again-" + agentId, new ConfirmAgain(agentId), AGAIN);
    timers.startSingleTimer("confirm-" + agentId, new ConfirmDeadline(agentId), deadline);
  }

  /** Asks the open question again; a repeat changes nothing at the agent. */
  void askAgain(String agentId) {
    Set<String> tasks = asked.get(agentId);
    if (tasks != null) {
      sharding
          .entityRefFor(AgentActor.TYPE_KEY, agentId)
          .tell(new AgentProtocol.ConfirmRuns(tasks));
    }
  }

  /** The agent answered or the deadline passed: what it was asked, or null when nothing was. */
  Set<String> answered(String agentId) {
    timers.cancel("confirm-" + agentId);
    timers.cancel("confirm-again-" + agentId);
    return asked.remove(agentId);
  }
}
