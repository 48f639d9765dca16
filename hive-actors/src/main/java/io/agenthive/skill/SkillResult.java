package io.agenthive.skill;

import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.common.CborSerializable;
import io.agenthive.skill.guard.ProviderFailure;
import java.util.List;

/**
 * What a skill produced. A failed result is retried by the task's policy, like an exception, unless
 * the skill says retrying cannot help ({@code retryable} false: a provider's 4xx, say). {@code
 * tokens} counts LLM tokens the attempt used (0 for skills that use none); the agent adds it to its
 * own count.
 */
public record SkillResult(
    boolean success,
    JsonNode output,
    String error,
    Double qualityScore,
    boolean retryable,
    long tokens,
    List<String> awaiting)
    implements CborSerializable {

  /**
   * {@code awaiting}: the subtasks the run handed its work to and waits for (their ids), its slot
   * given back; empty for a run that ended.
   */
  public SkillResult {
    awaiting = awaiting == null ? List.of() : List.copyOf(awaiting);
  }

  public SkillResult(
      boolean success,
      JsonNode output,
      String error,
      Double qualityScore,
      boolean retryable,
      long tokens) {
    this(success, output, error, qualityScore, retryable, tokens, List.of());
  }

  /** The run waits for {@code subtasks}; {@code output} records what it did so far. */
  public static SkillResult awaiting(JsonNode output, long tokens, List<String> subtasks) {
    return new SkillResult(false, output, null, null, true, tokens, subtasks);
  }

  public static SkillResult succeeded(JsonNode output, Double qualityScore) {
    return new SkillResult(true, output, null, qualityScore, false, 0);
  }

  public static SkillResult succeeded(JsonNode output, Double qualityScore, long tokens) {
    return new SkillResult(true, output, null, qualityScore, false, tokens);
  }

  /** Failed; the task's retry policy decides whether to try again. */
  public static SkillResult failed(String error) {
    return new SkillResult(false, null, error, null, true, 0);
  }

  /** Failed in a way another attempt cannot fix: the task fails now, whatever its policy. */
  public static SkillResult failedFinal(String error) {
    return new SkillResult(false, null, error, null, false, 0);
  }

  /**
   * How a built-in skill reports a failed call: a provider's classified failure keeps its retryable
   * or final kind; anything else is retried by the task's policy.
   */
  public static SkillResult ofFailure(Throwable error) {
    Throwable cause = error;
    while (cause.getCause() != null && !(cause instanceof ProviderFailure)) {
      cause = cause.getCause();
    }
    if (cause instanceof ProviderFailure f) {
      return f.retryable() ? failed(f.getMessage()) : failedFinal(f.getMessage());
    }
    return failed(cause.getClass().getSimpleName() + ": " + cause.getMessage());
  }
}
