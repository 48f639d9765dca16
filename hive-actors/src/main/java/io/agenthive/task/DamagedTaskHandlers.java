package io.agenthive.task;

import akka.pattern.StatusReply;
import akka.persistence.typed.javadsl.CommandHandlerWithReplyBuilderByState;
import akka.persistence.typed.javadsl.EffectFactories;
import io.agenthive.common.Refusal;
import io.agenthive.task.TaskProtocol.*;
import io.agenthive.task.TaskReplies.Accepted;

/**
 * A task whose history could not be fully read answers reads as it stands (failed, with why) and
 * refuses every change: it may have run already, so neither a start nor a retry is safe. Apart from
 * {@link TaskEntity} so that file stays about the common path.
 */
final class DamagedTaskHandlers {
  private DamagedTaskHandlers() {}

  static void register(
      CommandHandlerWithReplyBuilderByState<Command, TaskEvent, Task, Task> b, TaskEntity entity) {
    EffectFactories<TaskEvent, Task> effect = entity.effects();
    b.onCommand(Submit.class, (s, cmd) -> effect.reply(cmd.replyTo(), new Accepted(s, false)))
        .onCommand(
            Get.class,
            (s, cmd) -> effect.none().thenRun(entity::ended).thenReply(cmd.replyTo(), t -> t))
        .onCommand(
            AwaitEnd.class,
            (s, cmd) -> effect.none().thenRun(entity::ended).thenReply(cmd.replyTo(), t -> t))
        .onCommand(Cancel.class, (s, cmd) -> effect.reply(cmd.replyTo(), refusal(s)))
        .onCommand(Retry.class, (s, cmd) -> effect.reply(cmd.replyTo(), refusal(s)))
        .onCommand(Release.class, (s, cmd) -> effect.reply(cmd.replyTo(), refusal(s)))
        .onCommand(FailDependency.class, (s, cmd) -> effect.reply(cmd.replyTo(), refusal(s)))
        .onCommand(
            Start.class,
            (s, cmd) ->
                effect.reply(cmd.replyTo(), new TaskReplies.Refused(s.status(), s.unreadable())))
        .onCommand(Settle.class, (s, cmd) -> effect.reply(cmd.replyTo(), entity.verdict(s, false)))
        .onCommand(
            DatasetCommands.RecordProgress.class,
            (s, cmd) -> effect.reply(cmd.replyTo(), StatusReply.error(damage(s))))
        .onCommand(
            DatasetCommands.FinishDataset.class,
            (s, cmd) -> effect.reply(cmd.replyTo(), StatusReply.error(damage(s))));
  }

  private static StatusReply<Task> refusal(Task state) {
    return StatusReply.error(damage(state));
  }

  private static Refusal damage(Task state) {
    return new Refusal.Conflict("task " + state.id() + " cannot change: " + state.unreadable());
  }
}
