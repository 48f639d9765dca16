package io.agenthive.schedule;

import io.agenthive.task.TaskSpec;
import io.agenthive.workflow.WorkflowSpec;
import java.time.Instant;

/**
 * The idempotency keys of slots. The same key from the same principal always names the same task
 * (or workflow) id, so a slot submitted twice (a crash before its firing was journaled, a scheduler
 * that moved to another node) makes one task.
 */
public final class SlotKeys {
  private SlotKeys() {}

  public static String scheduled(String name, Instant slot) {
    return "schedule:" + name + ":" + slot;
  }

  public static String manual(String name, Instant slot) {
    return "schedule:" + name + ":manual:" + slot;
  }

  /** The template with {@code key}: what one slot submits. */
  public static TaskSpec keyed(TaskSpec t, String key) {
    return new TaskSpec(
        t.title(),
        t.description(),
        t.type(),
        t.priority(),
        t.requiredCapabilities(),
        t.input(),
        t.deadline(),
        t.maxAttempts(),
        t.timeoutMs(),
        key,
        t.dataset(),
        null,
        t.dependencies(),
        t.gate(),
        t.escalation());
  }

  /** The workflow template with {@code key}: what one slot submits. */
  public static WorkflowSpec keyed(WorkflowSpec w, String key) {
    return new WorkflowSpec(w.name(), w.steps(), key);
  }
}
