package io.agenthive.hive;

import io.agenthive.access.Principal;
import io.agenthive.schedule.ScheduleSpec;
import io.agenthive.schedule.SlotKeys;
import io.agenthive.schedule.SlotSubmitter;
import io.agenthive.workflow.Workflow;
import io.agenthive.workflow.Workflows;
import java.util.concurrent.CompletionStage;

/**
 * Schedules submit through {@link Tasks} and {@link Workflows}, as a client would, under one fixed
 * principal: the hub. Their idempotency keys ({@code schedule:<name>:<slot>}) therefore always name
 * the same task or workflow id, whichever node's keeper submits the slot and however often.
 */
final class ScheduledTasks implements SlotSubmitter {
  static final Principal SCHEDULES = Principal.HUB;

  private final Tasks tasks;
  private final Workflows workflows;

  ScheduledTasks(Tasks tasks, Workflows workflows) {
    this.tasks = tasks;
    this.workflows = workflows;
  }

  @Override
  public CompletionStage<String> submit(ScheduleSpec spec, String key) {
    if (spec.workflow() != null) {
      return workflows
          .submit(SlotKeys.keyed(spec.workflow(), key), SCHEDULES)
          .thenApply(Workflow::id);
    }
    return tasks
        .submit(SlotKeys.keyed(spec.task(), key), SCHEDULES, null, null)
        .thenApply(s -> s.task().id());
  }

  @Override
  public CompletionStage<Boolean> ended(ScheduleSpec spec, String id) {
    if (spec.workflow() != null) {
      return workflows.get(id).thenApply(w -> w.map(x -> x.endedAs() != null).orElse(true));
    }
    return tasks.get(id).thenApply(t -> t.map(x -> x.status().isTerminal()).orElse(true));
  }
}
