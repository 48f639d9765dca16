package io.agenthive.skill.text;

import akka.actor.typed.DispatcherSelector;
import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.skill.Skill;
import io.agenthive.skill.SkillContext;
import io.agenthive.skill.SkillFactory;
import io.agenthive.skill.SkillRequest;
import io.agenthive.skill.SkillResult;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * The {@code text-analysis} skill: {@link TextAnalyzer} on the task's input (a string, or an object
 * with a string {@code text}). A task without text fails at once: retrying cannot help. The
 * analysis is CPU work of unknown length, so it runs on the blocking dispatcher, off the actors'
 * threads.
 */
public final class TextAnalysisSkill implements Skill {
  public static final String NAME = "text-analysis";
  private final Executor executor;

  TextAnalysisSkill(SkillContext context) {
    this.executor = context.system().dispatchers().lookup(DispatcherSelector.blocking());
  }

  @Override
  public CompletionStage<SkillResult> execute(SkillRequest request) {
    String text = text(request.input());
    if (text == null || text.isBlank()) {
      return CompletableFuture.completedFuture(
          SkillResult.failedFinal("text-analysis needs input: a string, or {\"text\": \"...\"}"));
    }
    return CompletableFuture.supplyAsync(
        () -> SkillResult.succeeded(new TextAnalyzer(TextResources.get()).analyze(text), null),
        executor);
  }

  static String text(JsonNode input) {
    if (input == null) {
      return null;
    }
    if (input.isTextual()) {
      return input.asText();
    }
    return input.path("text").isTextual() ? input.path("text").asText() : null;
  }

  public static final class Factory implements SkillFactory {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public Skill create(SkillContext context) {
      return new TextAnalysisSkill(context);
    }
  }
}
