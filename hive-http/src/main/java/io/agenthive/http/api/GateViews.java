package io.agenthive.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.task.Task;
import io.agenthive.task.TaskGate;
import io.agenthive.task.TaskSpec;
import io.agenthive.task.TaskStatus;
import java.time.Instant;
import java.util.List;

/** What a task waits for besides an agent, as the API shows it (beside {@link Views#task}). */
final class GateViews {
  private GateViews() {}

  /**
   * An approval: its prompt with {@code {{deps.<step>}}} filled in from what its dependencies left
   * it, who may decide, and when it times out ({@code deadline}, null: never) and how.
   */
  record ApprovalJson(
      String prompt,
      List<String> approvers,
      Long timeoutMs,
      String onTimeout,
      Instant deadline,
      JsonNode decision) {}

  /** A wait: for the signal {@code signal}, or until {@code until}; {@code deadline} ends it. */
  record WaitJson(String signal, Instant until, Long forMs, Long timeoutMs, Instant deadline) {}

  static String kind(TaskSpec s) {
    TaskGate g = s.gate();
    if (g == null || (g.approval() == null && g.waitFor() == null)) {
      return "task";
    }
    return g.approval() != null ? "approval" : "wait";
  }

  static ApprovalJson approval(Task t) {
    TaskGate g = t.spec().gate();
    if (g == null || g.approval() == null) {
      return null;
    }
    TaskGate.Approval a = g.approval();
    boolean open = t.status() == TaskStatus.WAITING_FOR_APPROVAL;
    return new ApprovalJson(
        ApprovalPrompt.render(t),
        a.approvers(),
        a.timeoutMs(),
        a.onTimeout().label(),
        open ? t.wakeAt() : null,
        t.status().isTerminal() && t.result() != null ? t.result().output() : null);
  }

  static WaitJson waitFor(Task t) {
    TaskGate g = t.spec().gate();
    if (g == null || g.waitFor() == null) {
      return null;
    }
    TaskGate.Wait w = g.waitFor();
    return new WaitJson(
        w.signal(),
        w.until(),
        w.forMs(),
        w.timeoutMs(),
        t.status() == TaskStatus.WAITING ? t.wakeAt() : null);
  }

  static Instant notBefore(TaskSpec s) {
    return s.gate() == null ? null : s.gate().notBefore();
  }

  static Instant expiresAt(TaskSpec s) {
    return s.gate() == null ? null : s.gate().expiresAt();
  }
}
