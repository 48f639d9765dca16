package io.agenthive.skill.llm;

import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.skill.SkillRequest;
import io.agenthive.task.DependencyOutput;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills {@code {{input}}}, {@code {{title}}} and {@code {{description}}} in a prompt template, and
 * {@code {{deps.<name>}}} or {@code {{deps.<name>.<field>}}} with what a dependency (by its name in
 * the workflow, or its task id) left: its whole output, or one field of it ({@code
 * {{deps.draft.answer}}}). A text value is inserted as is; any other JSON as compact JSON; a
 * dependency or field that is not there as nothing. A text input is filled the same way, so one
 * agent's template can take each task's own prompt.
 */
final class PromptTemplate {
  private static final Pattern DEPENDENCY =
      Pattern.compile("\\{\\{deps\\.([A-Za-z0-9_:-]+)((?:\\.[A-Za-z0-9_-]+)*)}}");

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
    if (request.dependencies().isEmpty() || !text.contains("{{deps.")) {
      return text;
    }
    Matcher m = DEPENDENCY.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(value(request, m.group(1), m.group(2))));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String value(SkillRequest request, String name, String fields) {
    for (DependencyOutput d : request.dependencies()) {
      if (name.equals(d.name()) || name.equals(d.taskId())) {
        JsonNode v = d.output();
        for (String f : fields.isEmpty() ? new String[0] : fields.substring(1).split("\\.")) {
          v = v == null ? null : v.get(f);
        }
        return v == null || v.isNull() ? "" : v.isTextual() ? v.asText() : v.toString();
      }
    }
    return "";
  }
}
