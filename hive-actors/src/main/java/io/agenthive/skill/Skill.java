package io.agenthive.skill;

import io.agenthive.live.LiveText;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * How an agent does a task. Runs inside the task's run actor: it must not block the calling thread
 * (return a stage completed later, or do blocking work on the dispatcher from {@link
 * SkillContext}). Throwing, or a stage that fails, fails this attempt of the task; it never harms
 * the agent.
 */
public interface Skill {
  CompletionStage<SkillResult> execute(SkillRequest request);

  /**
   * Runs one attempt, told when the hive gives it up before the skill's result arrived: {@code
   * abandoned} completes when the attempt's run actor stops first (the task was cancelled, the
   * attempt timed out, the agent retired without draining or stopped). Skills whose work lives
   * elsewhere (a remote agent's task) override this to stop it there; the others ignore it.
   */
  default CompletionStage<SkillResult> execute(
      SkillRequest request, CompletionStage<Void> abandoned) {
    return execute(request);
  }

  /**
   * Runs one attempt whose text so far can be followed live ({@code GET /api/tasks/{id}/stream}):
   * skills that produce text piece by piece (an LLM's tokens, a remote worker's partial frames)
   * override this and append each piece to {@code live}; the others ignore it.
   */
  default CompletionStage<SkillResult> execute(
      SkillRequest request, CompletionStage<Void> abandoned, LiveText live) {
    return execute(request, abandoned);
  }

  /**
   * How long calls of this skill will fail fast (its endpoint's circuit is open), or empty while
   * they go through: the agent stops taking work for that long instead of burning attempts.
   */
  default Optional<Duration> failingFastFor() {
    return Optional.empty();
  }

  /**
   * Runs {@code listener} whenever calls of this skill start failing fast, until the returned
   * handle is closed. Skills without an endpoint never do.
   */
  default AutoCloseable whenFailingFast(Runnable listener) {
    return () -> {};
  }
}
