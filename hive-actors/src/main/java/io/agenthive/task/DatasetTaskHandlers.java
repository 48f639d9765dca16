package io.agenthive.task;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import akka.persistence.typed.javadsl.ReplyEffect;
import io.agenthive.common.Refusal;

/**
 * A dataset task's own commands: its checkpoints and its end (its job's start is an admission:
 * {@link TaskAdmission}). Apart from {@link TaskEntity} so that file stays about the common path.
 */
final class DatasetTaskHandlers {
  private final TaskEntity entity;

  DatasetTaskHandlers(TaskEntity entity) {
    this.entity = entity;
  }

  ReplyEffect<TaskEvent, Task> onRecordProgress(Task state, DatasetCommands.RecordProgress cmd) {
    if (!DatasetCommands.runningDataset(state)) {
      return notRunning(state, cmd.replyTo());
    }
    return entity
        .effects()
        .persist(new TaskEvent.TaskProgressed(cmd.progress(), entity.now()))
        .thenReply(cmd.replyTo(), s -> StatusReply.ack());
  }

  ReplyEffect<TaskEvent, Task> onFinishDataset(Task state, DatasetCommands.FinishDataset cmd) {
    if (!DatasetCommands.runningDataset(state)) {
      return notRunning(state, cmd.replyTo());
    }
    return entity
        .persistAndReport(
            state, entity.decisions().finishDataset(state, cmd.progress(), cmd.result()))
        .thenReply(cmd.replyTo(), s -> StatusReply.ack());
  }

  /** A checkpoint or an end for a task that is not a running dataset task: refused. */
  private ReplyEffect<TaskEvent, Task> notRunning(Task state, ActorRef<StatusReply<Done>> replyTo) {
    return entity
        .effects()
        .reply(replyTo, StatusReply.error(new Refusal.Conflict(DatasetCommands.notRunning(state))));
  }
}
