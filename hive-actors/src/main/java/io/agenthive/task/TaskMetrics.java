package io.agenthive.task;

import akka.actor.typed.ActorSystem;
import com.fasterxml.jackson.databind.JsonNode;
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

  private static String approvalOutcome(Task after) {
    JsonNode decision = after.result() == null ? null : after.result().output();
    if (decision != null && TaskGateHandlers.TIMEOUT.equals(decision.path("decided_by").asText())) {
      return "timeout";
    }
    return switch (after.status()) {
      case COMPLETED -> "approve";
      case REJECTED -> "reject";
      case FAILED -> "timeout";
      default -> "cancelled";
    };
  }

  void changed(Task before, Task after) {
    if (!after.exists() || after.spec() == null) {
      return;
    }
    if (after.status().isTerminal() && before.status() != after.status()) {
      tracing.taskEnded(after.id(), after.status().label(), after.status() == TaskStatus.COMPLETED);
    }
    if (before.status() == TaskStatus.WAITING_FOR_APPROVAL
        && after.status().isTerminal()
        && before.startedAt() != null
        && after.completedAt() != null) {
      metrics.approvalEnded(
          approvalOutcome(after),
          Duration.between(before.startedAt(), after.completedAt()).toMillis() / 1e3);
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
