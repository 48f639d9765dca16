package io.agenthive.schedule;

import java.util.concurrent.CompletionStage;

/**
 * How the keeper reaches the tasks and workflows: the hive's own submission paths (validation, the
 * queue bound, the idempotency key naming the task or workflow id), under the one hub principal
 * schedules submit as.
 */
public interface SlotSubmitter {
  /**
   * Submits one slot of {@code spec} (its task, or its workflow) under {@code key}; completes with
   * the id of the task or workflow once accepted.
   */
  CompletionStage<String> submit(ScheduleSpec spec, String key);

  /** Whether what a slot of {@code spec} made ({@code id}) has ended, or does not exist. */
  CompletionStage<Boolean> ended(ScheduleSpec spec, String id);
}
