package io.agenthive.task;

import io.agenthive.common.CborSerializable;
import java.util.List;

/** How an attempt ended, as the agent that ran it (or the board, for a lost agent) saw it. */
public record Outcome(Kind kind, TaskResult result, List<String> awaiting)
    implements CborSerializable {

  public enum Kind {
    /** The skill produced a result; {@code result.success} says whether it succeeded. */
    FINISHED,
    /** The skill failed and said another attempt cannot help: no retry, whatever the policy. */
    FAILED_FINAL,
    TIMED_OUT,
    /** The agent stopped the run because the task was cancelled. */
    CANCELLED,
    /** The agent did not run it (busy, paused, or the task was no longer runnable). */
    NOT_STARTED,
    /** The agent died or restarted while running it. */
    LOST,
    /**
     * The run handed its work to subtasks and waits for them ({@code awaiting}, their ids) without
     * its agent's slot: neither a success nor a failure, and no attempt of the task's budget.
     */
    AWAITING_SUBTASKS
  }

  public Outcome {
    awaiting = awaiting == null ? List.of() : List.copyOf(awaiting);
  }

  public Outcome(Kind kind, TaskResult result) {
    this(kind, result, List.of());
  }

  public static Outcome of(Kind kind, String error, long durationMs) {
    return new Outcome(kind, new TaskResult(false, null, error, durationMs, null));
  }

  public boolean succeeded() {
    return kind == Kind.FINISHED && result != null && result.success();
  }
}
