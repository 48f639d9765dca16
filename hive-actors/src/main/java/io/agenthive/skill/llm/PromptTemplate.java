package io.agenthive.skill.llm;

import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.skill.SkillRequest;

/**
 * Fills {@code {{input}}}, {@code {{title}}} and {@code {{description}}} in a prompt template. A
 * text input is inserted as is; any other JSON input as compact JSON.
 */
final class PromptTemplate {
  private PromptTemplate() {}

  static String fill(String template, SkillRequest request) {
    JsonNode input = request.input();
    String text =
        input == null || input.isNull()
            ? ""
            : input.isTextual() ? input.asText() : input.toString();
    return template
        .replace("{{input}}", text)
        .replace("{{title}}", request.title() == null ? "" : request.title())
        .replace("{{description}}", request.description() == null ? "" : request.description());
  }
}
