package io.agenthive.skill;

import java.util.concurrent.CompletionStage;

/**
 * How an agent does a task. Runs inside the task's run actor: it must not block the calling thread
 * (return a stage completed later, or do blocking work on the dispatcher from {@link
 * SkillContext}). Throwing, or a stage that fails, fails this attempt of the task; it never harms
 * the agent.
 */
public interface Skill {
  CompletionStage<SkillResult> execute(SkillRequest request);
}
