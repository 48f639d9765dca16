package io.agenthive.task;

import io.agenthive.metrics.HiveMetrics;
import java.time.Duration;

/**
 * What a journaled change of a task adds to the node's metrics: a submission, or the start of its
 * first attempt (the wait). Called after the write, never while the journal replays, so a restart
 * counts nothing twice.
 */
final class TaskMetrics {
  private TaskMetrics() {}

  static void changed(HiveMetrics metrics, Task before, Task after) {
    if (!after.exists() || after.spec() == null) {
      return;
    }
    String priority = after.spec().priority().label();
    if (!before.exists()) {
      metrics.submitted(priority, after.spec().type());
    }
    if (after.status() == TaskStatus.RUNNING
        && before.status() != TaskStatus.RUNNING
        && after.attempts() == 1
        && after.createdAt() != null
        && after.startedAt() != null) {
      metrics.started(
          priority, Duration.between(after.createdAt(), after.startedAt()).toNanos() / 1e9);
    }
  }
}
