package io.agenthive.task;

import akka.actor.typed.ActorSystem;
import io.agenthive.metrics.HiveMetrics;
import io.agenthive.tracing.HiveTracing;
import java.time.Duration;

/**
 * What a journaled change of a task adds to the node's metrics (a submission, or the start of its
 * first attempt: the wait) and traces (the end of the task's span). Called after the write, never
 * while the journal replays, so a restart counts nothing twice.
 */
final class TaskMetrics {
  private final HiveMetrics metrics;
  private final HiveTracing tracing;

  TaskMetrics(ActorSystem<?> system) {
    this.metrics = HiveMetrics.get(system);
    this.tracing = HiveTracing.get(system);
  }

  void changed(Task before, Task after) {
    if (!after.exists() || after.spec() == null) {
      return;
    }
    if (after.status().isTerminal() && before.status() != after.status()) {
      tracing.taskEnded(after.id(), after.status().label(), after.status() == TaskStatus.COMPLETED);
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
