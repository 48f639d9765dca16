package io.agenthive.schedule;

import io.agenthive.task.TaskSpec;
import java.util.concurrent.CompletionStage;

/**
 * How the keeper reaches the tasks: the hive's own submission path (validation, the queue bound,
 * the idempotency key naming the task id), under the one hub principal schedules submit as.
 */
public interface SlotSubmitter {
  /** Submits {@code spec} (its idempotency key set); completes with the task id once accepted. */
  CompletionStage<String> submit(TaskSpec spec);

  /** Whether task {@code taskId} has ended (or does not exist). */
  CompletionStage<Boolean> ended(String taskId);
}
