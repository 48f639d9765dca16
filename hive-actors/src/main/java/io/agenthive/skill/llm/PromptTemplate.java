package io.agenthive.skill.llm;

import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.skill.SkillRequest;
import io.agenthive.task.DependencyOutput;
import io.agenthive.task.DependencyText;

/**
 * Fills {@code {{input}}}, {@code {{title}}} and {@code {{description}}} in a prompt template, and
 * {@code {{deps.<name>}}} as {@link DependencyText} does. A text input is filled the same way, so
 * one agent's template can take each task's own prompt. A run after the subtasks it awaited have
 * ended is told what each left ({@code subtask-1}, ...), unless its template or input places them
 * itself.
 */
final class PromptTemplate {
  static final String SUBTASKS_ENDED = "The subtasks you handed work to have ended:";
  // the names a parent's subtasks have among its dependencies (the task entity's rule)
  private static final String SUBTASK = "subtask-";

  private PromptTemplate() {}

  static String fill(String template, SkillRequest request) {
    JsonNode input = request.input();
    String text =
        input == null || input.isNull()
            ? ""
            : input.isTextual() ? dependencies(input.asText(), request) : input.toString();
    String prompt =
        dependencies(template, request)
            .replace("{{input}}", text)
            .replace("{{title}}", request.title() == null ? "" : request.title())
            .replace("{{description}}", request.description() == null ? "" : request.description());
    boolean placed =
        DependencyText.namesDependencies(template)
            || (input != null
                && input.isTextual()
                && DependencyText.namesDependencies(input.asText()));
    return placed ? prompt : withSubtasks(prompt, request);
  }

  private static String dependencies(String text, SkillRequest request) {
    return DependencyText.fill(text, request.dependencies());
  }

  private static String withSubtasks(String prompt, SkillRequest request) {
    if (request.dependencies() == null) {
      return prompt;
    }
    StringBuilder b = null;
    for (DependencyOutput d : request.dependencies()) {
      if (d.name() == null || !d.name().startsWith(SUBTASK)) {
        continue;
      }
      if (b == null) {
        b = new StringBuilder(prompt).append("\n\n").append(SUBTASKS_ENDED);
      }
      JsonNode out = d.output();
      b.append("\n- ")
          .append(d.name())
          .append(" (task ")
          .append(d.taskId())
          .append(", ")
          .append(d.status() == null ? "gone" : d.status().label())
          .append("): ")
          .append(out == null ? "no output" : out.isTextual() ? out.asText() : out.toString());
    }
    return b == null ? prompt : b.toString();
  }
}
