package io.agenthive.http.api;

import io.agenthive.task.AssignmentReason;
import io.agenthive.task.EscalationRung;
import io.agenthive.task.TaskSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * For {@code /explain}: which escalation rung an attempt used, and which agents its assignment
 * passed by because they had failed the task before, e.g. "attempt 2: rung 2 (capability
 * summarize.strong ≥ 0.7); agent a skipped: failed attempt 1". Read from the submission's ladder
 * and the journaled assignment, so it says what the matcher did, not what it would do now.
 */
final class EscalationNote {
  private EscalationNote() {}

  /**
   * The rung (1-based, its place in the ladder as submitted) attempt {@code attempt} used; null for
   * a task without a ladder. An attempt that handed its work to subtasks repeats its rung in the
   * task's ladder ({@link io.agenthive.task.TaskEvent.TaskAwaitingSubtasks#specAfter}), so the
   * place is the rung's first.
   */
  static Integer rung(TaskSpec spec, int attempt) {
    if (spec == null || spec.escalation().isEmpty()) {
      return null;
    }
    List<EscalationRung> ladder = spec.escalation();
    return ladder.indexOf(ladder.get(EscalationRung.rungFor(ladder, attempt) - 1)) + 1;
  }

  /**
   * The note for attempt {@code attempt}; null when there is nothing to say (no ladder, and no
   * agent passed by for failing). {@code earlier}: the attempts before it, to name the one each
   * failed.
   */
  static String of(
      TaskSpec spec, int attempt, AssignmentReason reason, List<TaskExplanation.Attempt> earlier) {
    List<String> parts = new ArrayList<>();
    Integer rung = rung(spec, attempt);
    if (rung != null) {
      EscalationRung r = spec.escalation().get(rung - 1);
      parts.add(
          "rung "
              + rung
              + " (capability "
              + r.capability()
              + " ≥ "
              + r.minimumProficiency()
              + (attempt > spec.escalation().size() ? ", the last rung" : "")
              + ")");
    }
    if (reason != null) {
      for (AssignmentReason.Skipped s : reason.skipped()) {
        if (!AssignmentReason.FAILED_BEFORE.equals(s.why())) {
          continue; // passed by for another reason (degraded): the reason says so itself
        }
        String failed = failedAttempts(s.agentId(), earlier);
        if (failed != null) {
          parts.add("agent " + s.agentId() + " skipped: failed " + failed);
        }
      }
    }
    return parts.isEmpty() ? null : "attempt " + attempt + ": " + String.join("; ", parts);
  }

  /** "attempt 1" or "attempts 1, 3" that ran on {@code agentId} and did not complete; or null. */
  private static String failedAttempts(String agentId, List<TaskExplanation.Attempt> earlier) {
    List<String> numbers = new ArrayList<>();
    for (TaskExplanation.Attempt a : earlier) {
      if (agentId.equals(a.agentId())
          && !"completed".equals(a.outcome())
          && !a.outcome().startsWith(TaskExplanation.AWAITED)) {
        numbers.add(Integer.toString(a.attempt()));
      }
    }
    if (numbers.isEmpty()) {
      return null;
    }
    return (numbers.size() == 1 ? "attempt " : "attempts ") + String.join(", ", numbers);
  }
}
