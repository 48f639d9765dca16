package io.agenthive.task;

import io.agenthive.common.FieldError;
import io.agenthive.common.HiveLimits;
import io.agenthive.common.JsonSize;
import java.util.List;

/**
 * The part of a task that {@code hive.limits} bounds, checked before anything is journaled (for a
 * task alone or a workflow's step): its input, as JSON bytes. An excess is a field error that names
 * the field and the setting.
 */
public final class TaskInputLimits {
  private TaskInputLimits() {}

  /** {@code prefix}: where the task sits in the request ("" alone, "tasks[2]." in a workflow). */
  public static List<FieldError> check(TaskSpec spec, HiveLimits limits, String prefix) {
    long size = spec == null ? 0 : JsonSize.bytes(spec.input());
    if (size <= limits.maxTaskInputBytes()) {
      return List.of();
    }
    return List.of(
        new FieldError(
            prefix + "input",
            "is "
                + size
                + " bytes of JSON; at most "
                + limits.maxTaskInputBytes()
                + " are accepted (hive.limits.max-task-input); larger inputs are datasets"
                + " (POST /api/tasks/upload)"));
  }
}
