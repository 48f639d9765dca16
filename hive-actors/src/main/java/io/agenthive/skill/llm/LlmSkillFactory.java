package io.agenthive.skill.llm;

import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.common.FieldError;
import io.agenthive.skill.Skill;
import io.agenthive.skill.SkillContext;
import io.agenthive.skill.SkillFactory;
import java.util.List;

/** Registers {@link LlmSkill} as {@code llm}; checks its config at agent registration. */
public final class LlmSkillFactory implements SkillFactory {
  @Override
  public String name() {
    return LlmSkill.NAME;
  }

  @Override
  public Skill create(SkillContext context) {
    return new LlmSkill(context, LlmConfig.parse(context.config()));
  }

  @Override
  public List<FieldError> validateConfig(JsonNode config) {
    return LlmConfig.validate(config);
  }
}
