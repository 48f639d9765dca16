package io.agenthive.task;

import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import akka.persistence.typed.javadsl.ReplyEffect;
import io.agenthive.common.Refusal;
import io.agenthive.task.TaskProtocol.FailDependency;
import io.agenthive.task.TaskProtocol.Release;
import java.util.List;

/**
 * How a blocked task leaves that state: released by whoever watches its dependencies (its
 * workflow), it asks for a place like a new submission ({@link TaskAdmission}) and then journals
 * {@link TaskEvent.TaskUnblocked}; told that one failed, it journals {@link
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
    if (state.status() != TaskStatus.BLOCKED || !state.awaiting().isEmpty()) {
      // a step waiting for its own subtasks ran after its workflow released it: a release sent
      // again (the workflow restarted, or its ask timed out) must not cut that wait short
      return entity.effects().reply(cmd.replyTo(), StatusReply.success(state));
    }
    return release(state, cmd.dependencies(), cmd.replyTo());
  }

  /** Queues a blocked task again with {@code dependencies}: its workflow's, or its subtasks'. */
  ReplyEffect<TaskEvent, Task> release(
      Task state, List<DependencyOutput> given, ActorRef<StatusReply<Task>> replyTo) {
    String subject = state.spec().subject();
    List<DependencyOutput> dependencies = given.stream().map(d -> d.passedTo(subject)).toList();
    java.time.Instant now = entity.now(); // one reading for the check and the event
    if (state.spec().readyStatus(now) != TaskStatus.PENDING) {
      // scheduled, or a step for a person or a signal: no place in the queue yet, or ever
      return entity
          .persistAndReport(state, new TaskEvent.TaskUnblocked(dependencies, now))
          .thenReply(replyTo, StatusReply::success);
    }
    return entity
        .admission()
        .ask(state, state.spec(), new TaskAdmission.ToRelease(dependencies, replyTo));
  }

  ReplyEffect<TaskEvent, Task> onFailDependency(Task state, FailDependency cmd) {
    if (!state.exists()) {
      return notFound(state, cmd.replyTo());
    }
    if (state.status() != TaskStatus.BLOCKED || !state.awaiting().isEmpty()) {
      return entity.effects().reply(cmd.replyTo(), StatusReply.success(state));
    }
    DependencyOutput d = cmd.failed();
    return entity
        .persistAndReport(
            state,
            new TaskEvent.TaskDependencyFailed(d.taskId(), d.name(), d.status(), entity.now()))
        .thenReply(cmd.replyTo(), StatusReply::success);
  }

  private ReplyEffect<TaskEvent, Task> notFound(Task state, ActorRef<StatusReply<Task>> replyTo) {
    return entity
        .effects()
        .reply(
            replyTo, StatusReply.error(new Refusal.NotFound("task " + state.id() + " not found")));
  }
}
