package io.agenthive.skill.llm;

import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.skill.SkillRequest;
import io.agenthive.task.DependencyText;

/**
 * Fills {@code {{input}}}, {@code {{title}}} and {@code {{description}}} in a prompt template, and
 * {@code {{deps.<name>}}} as {@link DependencyText} does. A text input is filled the same way, so
 * one agent's template can take each task's own prompt.
 */
final class PromptTemplate {
  private PromptTemplate() {}

  static String fill(String template, SkillRequest request) {
    JsonNode input = request.input();
    String text =
        input == null || input.isNull()
            ? ""
            : input.isTextual() ? dependencies(input.asText(), request) : input.toString();
    return dependencies(template, request)
        .replace("{{input}}", text)
        .replace("{{title}}", request.title() == null ? "" : request.title())
        .replace("{{description}}", request.description() == null ? "" : request.description());
  }

  private static String dependencies(String text, SkillRequest request) {
    return DependencyText.fill(text, request.dependencies());
  }
}
