package io.agenthive.skill.llm;

import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.common.FieldError;
import io.agenthive.skill.Skill;
import io.agenthive.skill.SkillContext;
import io.agenthive.skill.SkillFactory;
import io.agenthive.skill.SkillRules;
import java.util.ArrayList;
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

  @Override
  public List<FieldError> validateConfig(JsonNode config, SkillRules rules) {
    List<FieldError> errors = new ArrayList<>(LlmConfig.validate(config));
    String variable = config.path("api_key_env").asText(null);
    if (variable != null && !rules.egress().secretEnvAllowed(variable)) {
      errors.add(new FieldError("api_key_env", rules.egress().secretEnvRefusal(variable)));
    }
    String literal = rules.egress().refusalOfLiteral(config.path("base_url").asText(""));
    if (literal != null) {
      errors.add(new FieldError("base_url", literal));
    }
    if (config.has("tools") && ToolsConfig.validate(config.path("tools")).isEmpty()) {
      var urls = ToolsConfig.parse(config.path("tools")).urls();
      for (int i = 0; i < urls.size(); i++) {
        String refused = rules.egress().refusalOfLiteral(urls.get(i));
        if (refused != null) {
          errors.add(new FieldError("tools.mcp[" + i + "].url", refused));
        }
      }
    }
    return errors;
  }
}
