package io.agenthive.hive;

import io.agenthive.access.Principal;
import io.agenthive.schedule.SlotSubmitter;
import io.agenthive.task.TaskSpec;
import java.util.concurrent.CompletionStage;

/**
 * Schedules submit through {@link Tasks}, as a client would, under one fixed principal: the hub.
 * Their idempotency keys ({@code schedule:<name>:<slot>}) therefore always name the same task id,
 * whichever node's keeper submits the slot and however often.
 */
final class ScheduledTasks implements SlotSubmitter {
  static final Principal SCHEDULES = Principal.HUB;

  private final Tasks tasks;

  ScheduledTasks(Tasks tasks) {
    this.tasks = tasks;
  }

  @Override
  public CompletionStage<String> submit(TaskSpec spec) {
    return tasks.submit(spec, SCHEDULES, null, null).thenApply(s -> s.task().id());
  }

  @Override
  public CompletionStage<Boolean> ended(String taskId) {
    return tasks.get(taskId).thenApply(t -> t.map(x -> x.status().isTerminal()).orElse(true));
  }
}
