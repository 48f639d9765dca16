package io.agenthive.skill;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Completes every task at once with an empty output; exists to measure the hub's own cost. */
public final class NoopSkill implements Skill {
  public static final String NAME = "noop";

  @Override
  public CompletionStage<SkillResult> execute(SkillRequest request) {
    return CompletableFuture.completedFuture(
        SkillResult.succeeded(JsonNodeFactory.instance.objectNode(), 1.0));
  }

  public static final class Factory implements SkillFactory {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public Skill create(SkillContext context) {
      return new NoopSkill();
    }
  }
}
