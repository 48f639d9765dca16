package io.agenthive.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agenthive.task.DependencyOutput;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Combines a consensus step's answers into its output: {@code rule}, {@code match}, every answer
 * ({@code task_id}, {@code step}, {@code agent_id}, {@code output}), the {@code winner} (an
 * answer's output), its {@code votes} and which answer won ({@code winner_index}, 1-based). A pure
 * function of the dependency outputs, so a workflow that does it again after a crash computes the
 * same output.
 *
 * <p>An answer is compared by its {@code answer} field when it has one (an llm skill's output,
 * whose other fields, the model and tokens, differ between agents), else as a whole. Majority means
 * more than half of the voters; without one the winner is null, {@code no_majority} says why, and
 * the step still completes (its dependents decide what no majority means).
 */
final class ConsensusTally {
  private static final Pattern FIRST_NUMBER = Pattern.compile("\\d+");
  private static final Pattern TRAILING_PUNCTUATION = Pattern.compile("[\\p{Punct}\\s]+$");

  private ConsensusTally() {}

  /** The tally's output from its config (the tally task's input) and its dependencies' outputs. */
  static JsonNode of(JsonNode config, List<DependencyOutput> deps) {
    return of(config, deps, id -> null);
  }

  /** As above, each answer with the agent it ran on ({@code agentOf} a task id; null: unknown). */
  static JsonNode of(
      JsonNode config, List<DependencyOutput> deps, Function<String, String> agentOf) {
    String rule = config.path("rule").asText("majority");
    boolean exact = "exact".equals(config.path("match").asText());
    List<DependencyOutput> answers = new ArrayList<>();
    DependencyOutput judge = null;
    for (DependencyOutput d : deps) {
      if (d.name() != null && d.name().endsWith(".judge")) {
        judge = d;
      } else {
        answers.add(d);
      }
    }
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("rule", rule);
    out.put("match", exact ? "exact" : "normalised");
    ArrayNode list = out.putArray("answers");
    for (DependencyOutput a : answers) {
      ObjectNode o = list.addObject().put("task_id", a.taskId()).put("step", a.name());
      String agent = agentOf.apply(a.taskId());
      if (agent != null) {
        o.put("agent_id", agent);
      }
      o.set("output", a.output());
    }
    Map<String, List<Integer>> groups = new LinkedHashMap<>();
    for (int i = 0; i < answers.size(); i++) {
      groups.computeIfAbsent(key(answers.get(i).output(), exact), k -> new ArrayList<>()).add(i);
    }
    int winner = -1;
    if (judge != null) {
      out.set("judge", judge.output());
      winner = judged(judge.output(), answers, exact);
      if (winner < 0) {
        out.put("no_winner", "the judge's answer names none of the " + answers.size() + " answers");
      }
    } else {
      List<Integer> largest =
          groups.values().stream().max((x, y) -> Integer.compare(x.size(), y.size())).orElse(null);
      if (largest != null && largest.size() * 2 > answers.size()) {
        winner = largest.get(0);
      } else {
        out.put("no_majority", "no answer has more than half of the " + answers.size() + " votes");
      }
    }
    if (winner < 0) {
      out.putNull("winner");
      out.put("votes", 0);
      return out;
    }
    out.set("winner", answers.get(winner).output());
    out.put("winner_index", winner + 1);
    out.put("votes", groups.get(key(answers.get(winner).output(), exact)).size());
    return out;
  }

  /**
   * Which answer the judge picked: {@code winner} (a number 1..N), else the first number in its
   * answer text, else the answer its text matches once normalised; -1 when none.
   */
  private static int judged(JsonNode judge, List<DependencyOutput> answers, boolean exact) {
    if (judge == null) {
      return -1;
    }
    if (judge.path("winner").canConvertToInt()) {
      int n = judge.path("winner").intValue();
      return n >= 1 && n <= answers.size() ? n - 1 : -1;
    }
    String text =
        compared(judge).isTextual() ? compared(judge).textValue() : compared(judge).toString();
    Matcher m = FIRST_NUMBER.matcher(text);
    if (m.find() && m.group().length() < 3) {
      int n = Integer.parseInt(m.group());
      if (n >= 1 && n <= answers.size()) {
        return n - 1;
      }
    }
    String wanted = key(judge, false);
    for (int i = 0; i < answers.size(); i++) {
      if (key(answers.get(i).output(), false).equals(wanted)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * What two answers are compared by. An output too large to pass inline reaches the tally as a
   * reference ({@code output_stored}, whose url names its own task): two such are the same answer
   * when their bytes are (their SHA-256), whatever the match, since their text is not at hand.
   */
  static String key(JsonNode output, boolean exact) {
    JsonNode stored = output == null ? null : output.get("output_stored");
    if (stored != null && stored.hasNonNull("sha256")) {
      return "stored:" + stored.get("sha256").asText();
    }
    JsonNode v = compared(output);
    if (exact || !v.isTextual()) {
      return v.toString();
    }
    String t = v.textValue().strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
    return TRAILING_PUNCTUATION.matcher(t).replaceAll("");
  }

  private static JsonNode compared(JsonNode output) {
    if (output == null || output.isNull() || output.isMissingNode()) {
      return JsonNodeFactory.instance.nullNode();
    }
    return output.has("answer") ? output.get("answer") : output;
  }
}
