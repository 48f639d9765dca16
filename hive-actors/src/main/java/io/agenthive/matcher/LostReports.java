package io.agenthive.matcher;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import io.agenthive.matcher.MatcherProtocol.Command;
import io.agenthive.matcher.MatcherProtocol.LostSettled;
import io.agenthive.matcher.MatcherProtocol.ResendLost;
import io.agenthive.task.Outcome;
import io.agenthive.task.TaskEntity;
import io.agenthive.task.TaskProtocol;
import io.agenthive.task.TaskReplies;
import java.time.Duration;
import java.time.Instant;

/**
 * The matcher's reports of lost attempts to their task entities ({@link LostRuns} decides which):
 * each asked until the entity answers where the task stands, and asked again after a timeout only
 * while no word has come (see {@link LostRuns#awaitingVerdict}).
 */
final class LostReports {
  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final ClusterSharding sharding;
  private final LostRuns lostRuns;
  private final Duration askTimeout;
  private final Duration resendAfter;

  LostReports(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      ClusterSharding sharding,
      LostRuns lostRuns,
      Duration askTimeout,
      Duration resendAfter) {
    this.context = context;
    this.timers = timers;
    this.sharding = sharding;
    this.lostRuns = lostRuns;
    this.askTimeout = askTimeout;
    this.resendAfter = resendAfter;
  }

  /** Reports {@code l}: a first report, or one sent again (skipped once its word came). */
  void send(Matching.SettleLost l) {
    if (!lostRuns.awaitingVerdict(l.taskId())) {
      return; // a resend after the entity's word came: see LostRuns#awaitingVerdict
    }
    context.pipeToSelf(
        sharding
            .entityRefFor(TaskEntity.TYPE_KEY, l.taskId())
            .ask(
                (ActorRef<TaskReplies.Verdict> replyTo) ->
                    new TaskProtocol.Settle(
                        l.agentId(),
                        TaskEntity.ANY_ATTEMPT,
                        Outcome.of(Outcome.Kind.LOST, l.why(), 0),
                        null,
                        replyTo),
                askTimeout),
        (verdict, error) -> new LostSettled(l, verdict, error));
  }

  /** The entity's answer, or its ask's failure; true when the matcher's picture changed. */
  boolean answered(LostSettled answer, Instant now) {
    if (answer.error() != null) {
      // the entity is the only one who knows; ask again, unless its word comes first
      timers.startSingleTimer(
          "lost-" + answer.lost().taskId(), new ResendLost(answer.lost()), resendAfter);
      return false;
    }
    TaskReplies.Verdict v = answer.verdict();
    lostRuns.lostSettled(v.taskId(), v.status(), v.retryAt(), now);
    return true;
  }
}
