package io.agenthive.task;

import akka.pattern.StatusReply;
import akka.persistence.typed.javadsl.ReplyEffect;
import io.agenthive.common.Refusal;
import io.agenthive.task.TaskProtocol.JobAdmission;
import io.agenthive.task.TaskReplies.Accepted;
import io.agenthive.task.TaskReplies.Unavailable;
import java.util.List;

/**
 * A dataset task's own commands: its job's start answered (for a submission or a retry), its
 * checkpoints and its end. Apart from {@link TaskEntity} so that file stays about the common path.
 */
final class DatasetTaskHandlers {
  private final TaskEntity entity;

  DatasetTaskHandlers(TaskEntity entity) {
    this.entity = entity;
  }

  ReplyEffect<TaskEvent, Task> onJobAdmission(Task state, JobAdmission cmd) {
    entity.admitting(false);
    if (cmd.error() != null) {
      entity.warn("Dataset task [{}] not started: no answer", cmd.error());
      String why = "the dataset jobs did not answer; retry";
      return (cmd.submitTo() != null
              ? entity.effects().reply(cmd.submitTo(), new Unavailable(why))
              : entity
                  .effects()
                  .reply(cmd.retryTo(), StatusReply.<Task>error(new Refusal.Unavailable(why))))
          .thenUnstashAll();
    }
    var now = entity.now();
    if (cmd.submitTo() != null) {
      return entity
          .persistAndReport(
              state,
              List.of(
                  new TaskEvent.TaskSubmitted(state.id(), cmd.spec(), now, cmd.by()),
                  new TaskEvent.TaskStarted(null, 1, now, null)))
          .thenReply(cmd.submitTo(), s -> new Accepted(s, true))
          .thenUnstashAll();
    }
    // max_attempts is per chunk here: a retried dataset keeps its chunks' policy
    return entity
        .persistAndReport(
            state,
            List.of(
                new TaskEvent.TaskRetryRequested(state.spec().maxAttempts(), now, cmd.by()),
                new TaskEvent.TaskStarted(null, state.attempts() + 1, now, null)))
        .thenReply(cmd.retryTo(), StatusReply::success)
        .thenUnstashAll();
  }

  ReplyEffect<TaskEvent, Task> onRecordProgress(Task state, DatasetCommands.RecordProgress cmd) {
    if (!DatasetCommands.runningDataset(state)) {
      return entity
          .effects()
          .reply(
              cmd.replyTo(),
              StatusReply.error(new Refusal.Conflict(DatasetCommands.notRunning(state))));
    }
    return entity
        .effects()
        .persist(new TaskEvent.TaskProgressed(cmd.progress(), entity.now()))
        .thenReply(cmd.replyTo(), s -> StatusReply.ack());
  }

  ReplyEffect<TaskEvent, Task> onFinishDataset(Task state, DatasetCommands.FinishDataset cmd) {
    if (!DatasetCommands.runningDataset(state)) {
      return entity
          .effects()
          .reply(
              cmd.replyTo(),
              StatusReply.error(new Refusal.Conflict(DatasetCommands.notRunning(state))));
    }
    return entity
        .persistAndReport(
            state, entity.decisions().finishDataset(state, cmd.progress(), cmd.result()))
        .thenReply(cmd.replyTo(), s -> StatusReply.ack());
  }
}
