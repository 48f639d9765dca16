package io.agenthive.http.api;

import io.agenthive.persistence.HiveEventFeed;
import io.agenthive.task.AssignmentReason;
import io.agenthive.task.TaskEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /api/tasks/{id}/explain}: each attempt's assignment (candidates with scores, winner,
 * policy) and how that attempt ended, read from the task's own events.
 */
public record TaskExplanation(
    String taskId,
    Instant submittedAt,
    List<Attempt> attempts,
    String finalStatus,
    Waiting dependencies,
    List<BudgetViews.HoldJson> heldBy) {
  /** How an attempt that handed its work to subtasks ended, before their ids. */
  static final String AWAITED = "handed its work to subtasks ";

  /**
   * For a task that waited for others: which ({@code on}), when they let it go ({@code
   * releasedAt}), or which one failed it ({@code failedBy}, with reason {@code dependency_failed}).
   */
  record Waiting(List<String> on, Instant releasedAt, String failedBy, String reason) {}

  /**
   * {@code rung}: the escalation rung this attempt used (null without a ladder); {@code
   * escalation}: that rung and the agents passed by for having failed the task ({@link
   * EscalationNote}); {@code toolCalls}: the tools an llm agent's loop called in a completed
   * attempt (a failed one names them in its error).
   */
  record Attempt(
      int attempt,
      String agentId,
      Instant assignedAt,
      AssignmentReason reason,
      String outcome,
      String error,
      Instant endedAt,
      Integer rung,
      String escalation,
      com.fasterxml.jackson.databind.JsonNode toolCalls) {
    Attempt(
        int attempt,
        String agentId,
        Instant assignedAt,
        AssignmentReason reason,
        String outcome,
        String error,
        Instant endedAt) {
      this(attempt, agentId, assignedAt, reason, outcome, error, endedAt, null, null, null);
    }
  }

  private static Attempt started(
      io.agenthive.task.TaskSpec spec,
      int attempt,
      String agentId,
      Instant at,
      AssignmentReason reason,
      List<Attempt> earlier) {
    return new Attempt(
        attempt,
        agentId,
        at,
        reason,
        "running",
        null,
        null,
        EscalationNote.rung(spec, attempt),
        EscalationNote.of(spec, attempt, reason, earlier),
        null);
  }

  /**
   * {@code holds}: the budgets' holds now; those that keep this task waiting (it is pending) are
   * shown as {@code held_by}, reason {@code budget_exhausted}.
   */
  static TaskExplanation of(
      String taskId, List<HiveEventFeed.FeedEvent> events, List<io.agenthive.budget.Hold> holds) {
    List<Attempt> attempts = new ArrayList<>();
    Instant submitted = null;
    String status = "pending";
    Waiting waiting = null;
    boolean awaited = false; // after an attempt that handed its work to subtasks, until released
    io.agenthive.task.TaskSpec spec = null;
    String by = null;
    // the task as its own rules fold it: the status told, whatever this summary adds
    io.agenthive.task.Task folded = io.agenthive.task.Task.empty(taskId);
    for (HiveEventFeed.FeedEvent fe : events) {
      TaskEvent e = (TaskEvent) fe.payload();
      folded = folded.apply(e);
      if (e instanceof TaskEvent.TaskSubmitted s) {
        submitted = s.at();
        spec = s.spec();
        by = s.by();
        if (s.spec().waits()) {
          status = "blocked";
          waiting = new Waiting(s.spec().dependencies().on(), null, null, "blocked");
        }
      } else if (e instanceof TaskEvent.TaskUnblocked && awaited) {
        awaited = false; // its subtasks ended: a workflow step's own wait stays as it was
        status = "pending";
      } else if (e instanceof TaskEvent.TaskUnblocked u && waiting != null) {
        waiting = new Waiting(waiting.on(), u.at(), null, "dependencies completed");
        status = "pending";
      } else if (e instanceof TaskEvent.TaskDependencyFailed d && waiting != null) {
        waiting = new Waiting(waiting.on(), null, d.dependencyId(), d.error());
        status = "failed";
      } else if (e instanceof TaskEvent.TaskAssigned a) {
        attempts.add(started(spec, a.attempt(), a.agentId(), a.at(), a.reason(), attempts));
        status = "running";
      } else if (e instanceof TaskEvent.TaskStarted st) {
        if (st.reason() != null) {
          // the start is the assignment (older journals assigned in an event of their own)
          attempts.add(started(spec, st.attempt(), st.agentId(), st.at(), st.reason(), attempts));
        }
        status = "running"; // a dataset task's chunks have their own attempts
      } else if (e instanceof TaskEvent.TaskCompleted c) {
        var output = c.result() == null ? null : c.result().output();
        var calls = output == null ? null : output.get("tool_calls");
        end(attempts, "completed", null, c.at(), calls != null && calls.isArray() ? calls : null);
        status = "completed";
      } else if (e instanceof TaskEvent.TaskAwaitingSubtasks w) {
        awaited = true;
        spec = w.specAfter(spec); // as the task's own state: its ladder stays on this rung
        var output = w.result() == null ? null : w.result().output();
        var calls = output == null ? null : output.get("tool_calls");
        end(
            attempts,
            AWAITED + String.join(", ", w.subtasks()),
            null,
            w.at(),
            calls != null && calls.isArray() ? calls : null);
        status = "blocked";
      } else if (e instanceof TaskEvent.TaskFailed f) {
        end(attempts, f.willRetry() ? "failed, retried" : "failed", f.error(), f.at());
        status = f.willRetry() ? "pending" : "failed";
      } else if (e instanceof TaskEvent.TaskTimedOut t) {
        end(
            attempts,
            t.willRetry() ? "timed out, retried" : "timed out",
            "timed out after " + t.timeoutMs() + " ms",
            t.at());
        status = t.willRetry() ? "pending" : "failed";
      } else if (e instanceof TaskEvent.TaskCancelled c) {
        end(attempts, "cancelled", c.reason(), c.at());
        status = "cancelled";
      } else if (e instanceof TaskEvent.TaskRetryRequested) {
        status = "pending";
      } else if (e instanceof TaskEvent.TaskUnreadable u) {
        end(attempts, "unknown", u.error(), u.at());
        status = "failed";
      }
    }
    if (folded.exists()) {
      status = folded.status().label();
      if (folded.status().isGated()) {
        waiting = gated(folded, waiting);
      }
    }
    List<BudgetViews.HoldJson> held = new ArrayList<>();
    if (status.equals("pending")) {
      String workflow =
          spec == null || spec.dependencies() == null ? null : spec.dependencies().workflowId();
      for (var h : holds) {
        boolean applies =
            switch (h.scope()) {
              case AGENT -> true;
              case WORKFLOW -> h.target().equals(workflow);
              case PRINCIPAL -> h.target().equals(by);
            };
        if (applies) {
          held.add(BudgetViews.hold(h));
        }
      }
    }
    return new TaskExplanation(taskId, submitted, attempts, status, waiting, held);
  }

  /** What a task that waits for a clock, a person or a signal waits for, and until when. */
  private static Waiting gated(io.agenthive.task.Task t, Waiting before) {
    var g = t.spec().gate();
    String reason =
        switch (t.status()) {
          case SCHEDULED -> "scheduled: queued at " + g.notBefore();
          case WAITING_FOR_APPROVAL ->
              "waiting for a decision by one of " + String.join(", ", g.approval().approvers());
          default ->
              g.waitFor().signal() != null
                  ? "waiting for the signal '" + g.waitFor().signal() + "'"
                  : "waiting until " + t.wakeAt();
        };
    List<String> on = before == null ? List.of() : before.on();
    return new Waiting(
        on, null, null, t.wakeAt() == null ? reason : reason + " (next: " + t.wakeAt() + ")");
  }

  /** Closes the last attempt if it is still open. */
  private static void end(List<Attempt> attempts, String outcome, String error, Instant at) {
    end(attempts, outcome, error, at, null);
  }

  private static void end(
      List<Attempt> attempts,
      String outcome,
      String error,
      Instant at,
      com.fasterxml.jackson.databind.JsonNode toolCalls) {
    if (attempts.isEmpty()) {
      return;
    }
    Attempt last = attempts.get(attempts.size() - 1);
    if (last.endedAt() == null) {
      attempts.set(
          attempts.size() - 1,
          new Attempt(
              last.attempt(),
              last.agentId(),
              last.assignedAt(),
              last.reason(),
              outcome,
              error,
              at,
              last.rung(),
              last.escalation(),
              toolCalls));
    }
  }
}
