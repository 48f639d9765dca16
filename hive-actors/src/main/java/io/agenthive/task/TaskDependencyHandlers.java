package io.agenthive.task;

import akka.pattern.StatusReply;
import akka.persistence.typed.javadsl.ReplyEffect;
import io.agenthive.common.Refusal;
import io.agenthive.task.TaskProtocol.FailDependency;
import io.agenthive.task.TaskProtocol.Release;
import io.agenthive.task.TaskProtocol.Unblocking;

/**
 * How a blocked task leaves that state: released by whoever watches its dependencies (its
 * workflow), it asks the queue for a place like a new submission and then journals {@link
 * TaskEvent.TaskUnblocked}; told that one failed, it journals {@link
 * TaskEvent.TaskDependencyFailed}. Both are idempotent, so a workflow that restarts may say them
 * again. Apart from {@link TaskEntity} so that file stays about the common path.
 */
final class TaskDependencyHandlers {
  private final TaskEntity entity;

  TaskDependencyHandlers(TaskEntity entity) {
    this.entity = entity;
  }

  ReplyEffect<TaskEvent, Task> onRelease(Task state, Release cmd) {
    if (!state.exists()) {
      return notFound(state, cmd.replyTo());
    }
    if (state.status() != TaskStatus.BLOCKED) {
      return entity.effects().reply(cmd.replyTo(), StatusReply.success(state));
    }
    entity.admitting(true);
    entity.pipeToSelf(
        entity
            .queue()
            .admit(
                TaskQueue.QueuedTask.of(
                    state.id(), state.spec(), state.submittedBy(), entity.now())),
        (reply, error) -> new Unblocking(cmd.dependencies(), cmd.replyTo(), reply, error));
    return entity.effects().noReply();
  }

  ReplyEffect<TaskEvent, Task> onUnblocking(Task state, Unblocking cmd) {
    entity.admitting(false);
    if (cmd.error() != null || cmd.reply() instanceof TaskQueue.QueueFull) {
      // the workflow asks again later: a released task waits for room like a submission
      Refusal why =
          cmd.error() != null
              ? new Refusal.Unavailable("the task queue did not answer; retry")
              : new Refusal.QueueFull("queue full; retry");
      return entity.effects().reply(cmd.replyTo(), StatusReply.<Task>error(why)).thenUnstashAll();
    }
    return entity
        .persistAndReport(state, new TaskEvent.TaskUnblocked(cmd.dependencies(), entity.now()))
        .thenReply(cmd.replyTo(), StatusReply::success)
        .thenUnstashAll();
  }

  ReplyEffect<TaskEvent, Task> onFailDependency(Task state, FailDependency cmd) {
    if (!state.exists()) {
      return notFound(state, cmd.replyTo());
    }
    if (state.status() != TaskStatus.BLOCKED) {
      return entity.effects().reply(cmd.replyTo(), StatusReply.success(state));
    }
    DependencyOutput d = cmd.failed();
    return entity
        .persistAndReport(
            state,
            new TaskEvent.TaskDependencyFailed(d.taskId(), d.name(), d.status(), entity.now()))
        .thenReply(cmd.replyTo(), StatusReply::success);
  }

  private ReplyEffect<TaskEvent, Task> notFound(
      Task state, akka.actor.typed.ActorRef<StatusReply<Task>> replyTo) {
    return entity
        .effects()
        .reply(
            replyTo, StatusReply.error(new Refusal.NotFound("task " + state.id() + " not found")));
  }
}
