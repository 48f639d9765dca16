package io.agenthive.agent;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.ActorContext;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import io.agenthive.agent.AgentProtocol.Command;
import io.agenthive.agent.AgentProtocol.StartAnswered;
import io.agenthive.task.AssignmentReason;
import io.agenthive.task.TaskEntity;
import io.agenthive.task.TaskProtocol;
import io.agenthive.task.TaskReplies;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * An agent's requests to its tasks to start, in up to {@link #TRIES} tries within the ask timeout.
 * A start buffered for a task shard while the shard is handed off is dropped (Akka drops rather
 * than re-orders); after a clean stop in {@code bench failover} each such start cost the whole
 * timeout. A repeat that meets the attempt an earlier try began is answered with that attempt. Each
 * try is sent by the agent itself, and only while it still waits to start the task: a try never
 * outlives the agent (stopped, handed off, restarted) nor its wish to run the task, so a late try
 * cannot begin an attempt that no agent runs.
 */
final class TaskStarts {
  static final int TRIES = 5;

  private final ActorContext<Command> context;
  private final String agentId;
  private final Duration each;

  TaskStarts(ActorContext<Command> context, String agentId, Duration askTimeout) {
    this.context = context;
    this.agentId = agentId;
    this.each = askTimeout.dividedBy(TRIES);
  }

  /** Asks {@code taskId} to start with this agent: its first try. */
  void ask(String taskId, AssignmentReason reason) {
    send(taskId, reason, 1);
  }

  /**
   * Sends the next try when {@code answer} is a try that got no answer in time and tries are left;
   * true when one was sent (the answer then waits for it). Call only while the start is wanted.
   */
  boolean again(StartAnswered answer, AssignmentReason reason) {
    if (!(answer.error() instanceof TimeoutException) || answer.tryNumber() >= TRIES) {
      return false;
    }
    send(answer.taskId(), reason, answer.tryNumber() + 1);
    return true;
  }

  private void send(String taskId, AssignmentReason reason, int tryNumber) {
    context.pipeToSelf(
        ClusterSharding.get(context.getSystem())
            .entityRefFor(TaskEntity.TYPE_KEY, taskId)
            .ask(
                (ActorRef<TaskReplies.StartReply> replyTo) ->
                    new TaskProtocol.Start(agentId, reason, replyTo),
                each),
        (reply, error) -> new StartAnswered(taskId, reply, error, tryNumber));
  }
}
