package io.agenthive.task;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills {@code {{deps.<name>}}} or {@code {{deps.<name>.<field>}}} in a text with what a dependency
 * (by its name in the workflow, or its task id) left: its whole output, or one field of it ({@code
 * {{deps.draft.answer}}}). A text value is inserted as is; any other JSON as compact JSON; a
 * dependency or field that is not there as nothing. The llm skill's prompts and an approval's
 * prompt are filled the same way.
 */
public final class DependencyText {
  // a name may hold dots (a consensus step's voters are <step>.voter-<n>): the longest leading part
  // that names a dependency is the name, the rest are fields
  private static final Pattern DEPENDENCY = Pattern.compile("\\{\\{deps\\.([A-Za-z0-9_.:-]+)}}");

  private DependencyText() {}

  public static String fill(String text, List<DependencyOutput> dependencies) {
    if (text == null
        || dependencies == null
        || dependencies.isEmpty()
        || !text.contains("{{deps.")) {
      return text;
    }
    Matcher m = DEPENDENCY.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(resolve(dependencies, m.group(1))));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** Whether {@code text} names a dependency's output. */
  public static boolean namesDependencies(String text) {
    return text != null && text.contains("{{deps.");
  }

  private static String resolve(List<DependencyOutput> dependencies, String path) {
    for (int cut = path.length(); cut > 0; cut = path.lastIndexOf('.', cut - 1)) {
      String name = path.substring(0, cut);
      for (DependencyOutput d : dependencies) {
        if (name.equals(d.name()) || name.equals(d.taskId())) {
          return value(dependencies, name, path.substring(cut));
        }
      }
    }
    return "";
  }

  private static String value(List<DependencyOutput> dependencies, String name, String fields) {
    for (DependencyOutput d : dependencies) {
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
