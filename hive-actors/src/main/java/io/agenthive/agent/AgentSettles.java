package io.agenthive.agent;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import io.agenthive.common.HiveMdc;
import io.agenthive.common.HiveSettings;
import io.agenthive.task.AgentOutcome;
import io.agenthive.task.Outcome;
import io.agenthive.task.TaskEntity;
import io.agenthive.task.TaskProtocol;
import io.agenthive.task.TaskReplies;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Outcomes the agent has reported to their task entities and not yet seen journaled. Delivery is at
 * least once: a settle that gets no answer is sent again after the retry backoff, and the entity
 * ignores a repeat (it ends an attempt once), so an outcome is never lost to a timeout.
 */
final class AgentSettles {
  /** Turns a settle's answer into the agent's own message. */
  interface Answer {
    AgentProtocol.Command of(String taskId, TaskReplies.Verdict verdict, Throwable error);
  }

  private record Pending(int attempt, Outcome outcome, AgentOutcome agentOutcome) {}

  private final String agentId;
  private final ActorContext<AgentProtocol.Command> context;
  private final TimerScheduler<AgentProtocol.Command> timers;
  private final HiveSettings settings;
  private final Answer answer;
  private final Function<String, AgentProtocol.Command> resend;
  private final Map<String, Pending> pending = new HashMap<>();

  AgentSettles(
      String agentId,
      ActorContext<AgentProtocol.Command> context,
      TimerScheduler<AgentProtocol.Command> timers,
      HiveSettings settings,
      Answer answer,
      Function<String, AgentProtocol.Command> resend) {
    this.agentId = agentId;
    this.context = context;
    this.timers = timers;
    this.settings = settings;
    this.answer = answer;
    this.resend = resend;
  }

  /** What an attempt that ran here adds to the agent's record; null when it did not run. */
  static AgentOutcome agentOutcome(String agentId, Agent state, AgentRuns.Ended ended) {
    if (!ended.ranHere()) {
      return null;
    }
    // a run that waits for its subtasks neither succeeded nor failed: it teaches nothing yet
    boolean awaiting = ended.outcome().kind() == Outcome.Kind.AWAITING_SUBTASKS;
    return new AgentOutcome(
        agentId,
        ended.durationMs(),
        ended.tokens(),
        awaiting
            ? java.util.List.of()
            : Learning.changes(
                state.capabilities(),
                ended.proficiencies(),
                ended.required(),
                ended.outcome().succeeded()));
  }

  void settle(String taskId, int attempt, Outcome outcome, AgentOutcome agentOutcome) {
    pending.put(taskId, new Pending(attempt, outcome, agentOutcome));
    send(taskId);
  }

  boolean pending(String taskId) {
    return pending.containsKey(taskId);
  }

  /** The tasks whose outcome is still to be settled (a copy). */
  Set<String> pendingIds() {
    return Set.copyOf(pending.keySet());
  }

  boolean none() {
    return pending.isEmpty();
  }

  void answered(String taskId, TaskReplies.Verdict verdict, Throwable error) {
    if (error == null) {
      pending.remove(taskId);
    } else if (pending.containsKey(taskId)) {
      HiveMdc.about(
          taskId,
          agentId,
          () ->
              context
                  .getLog()
                  .warn(
                      "Agent [{}]: task [{}] did not answer its outcome; sending it again",
                      agentId,
                      taskId));
      timers.startSingleTimer("settle-" + taskId, resend.apply(taskId), settings.retryBackoffMin());
    }
  }

  void resend(String taskId) {
    if (pending.containsKey(taskId)) {
      send(taskId);
    }
  }

  private void send(String taskId) {
    Pending p = pending.get(taskId);
    context.pipeToSelf(
        ClusterSharding.get(context.getSystem())
            .entityRefFor(TaskEntity.TYPE_KEY, taskId)
            .ask(
                (ActorRef<TaskReplies.Verdict> replyTo) ->
                    new TaskProtocol.Settle(
                        agentId, p.attempt(), p.outcome(), p.agentOutcome(), replyTo),
                settings.askTimeout()),
        (verdict, error) -> answer.of(taskId, verdict, error));
  }
}
