package io.agenthive.task;

import io.agenthive.common.CborSerializable;

/** How an attempt ended, as the agent that ran it (or the board, for a lost agent) saw it. */
public record Outcome(Kind kind, TaskResult result) implements CborSerializable {

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
    LOST
  }

  public static Outcome of(Kind kind, String error, long durationMs) {
    return new Outcome(kind, new TaskResult(false, null, error, durationMs, null));
  }

  public boolean succeeded() {
    return kind == Kind.FINISHED && result != null && result.success();
  }
}
