package io.agenthive.matcher;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import io.agenthive.agent.AgentActor;
import io.agenthive.agent.AgentProtocol;
import io.agenthive.matcher.MatcherProtocol.AgentPresent;
import io.agenthive.matcher.MatcherProtocol.Command;
import io.agenthive.matcher.MatcherProtocol.DispatchNow;
import java.time.Clock;
import java.time.Duration;

/**
 * The matcher's side of the roll call ({@link AgentRollCall}): asks the agents active lately to say
 * they are up, and takes their answers, which come straight here through an adapter rather than
 * through their node's proxy of the matcher singleton (that may still be looking for its new home).
 */
final class RollCaller {
  private final Matching matching;
  private final ClusterSharding sharding;
  private final TimerScheduler<Command> timers;
  private final Clock clock;
  private final Duration recent;
  private final ActorRef<AgentProtocol.Present> answers;

  RollCaller(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      Matching matching,
      Clock clock,
      Duration recent) {
    this.matching = matching;
    this.sharding = ClusterSharding.get(context.getSystem());
    this.timers = timers;
    this.clock = clock;
    this.recent = recent;
    this.answers = context.messageAdapter(AgentProtocol.Present.class, AgentPresent::new);
  }

  /** Calls the roll of the agents active within {@code recent} (their idle time in memory). */
  void call() {
    AgentProtocol.RollCall call = new AgentProtocol.RollCall(answers);
    for (String agentId : matching.openRollCall(recent, clock.instant())) {
      sharding.entityRefFor(AgentActor.TYPE_KEY, agentId).tell(call);
    }
    // tasks held for the first answers are handed out when the grace ends, answered or not
    timers.startSingleTimer(
        "roll-call-grace", DispatchNow.INSTANCE, AgentRollCall.GRACE.plusMillis(5));
  }

  /** Takes an answer: true when a task held for the first answers may go to that agent now. */
  boolean answered(AgentPresent answer) {
    matching.rollCall().heard(answer.present().agentId());
    return matching.rollCall().holding(clock.instant());
  }
}
