package io.agenthive.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agenthive.http.json.JsonFields;
import io.agenthive.task.TaskSpec;
import io.agenthive.workflow.ConsensusSpec;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a workflow step of {@code "kind": "consensus"}: {@code voters} (2-7), {@code rule} ({@code
 * majority} or {@code judge}), {@code match} ({@code exact} or {@code normalised}, the default) and
 * {@code judge} ({@code required_capabilities}, optional {@code title} (default {@code judge},
 * before the step's title), {@code prompt}, {@code max_attempts}, {@code timeout_ms}). The rest of
 * the step is its voters' ordinary task.
 */
final class ConsensusRequest {
  static final Set<String> FIELDS = Set.of("voters", "rule", "match", "judge");
  private static final Set<String> JUDGE_FIELDS =
      Set.of("required_capabilities", "title", "prompt", "max_attempts", "timeout_ms");

  private ConsensusRequest() {}

  static boolean isConsensus(JsonNode step) {
    return "consensus".equals(step.path("kind").asText(null));
  }

  /** The step without its consensus fields and kind: its voters' task, read as any task. */
  static JsonNode voterTask(JsonNode step) {
    ObjectNode copy = ((ObjectNode) step).deepCopy();
    copy.remove("kind");
    copy.remove(FIELDS);
    return copy;
  }

  /** The consensus fields of a step; errors are left in {@code t}, each naming its field. */
  static ConsensusSpec read(JsonFields t, JsonNode step) {
    Integer voters = t.integer("voters");
    ConsensusSpec.Rule rule = choice(t, "rule", ConsensusSpec.Rule.class, "majority or judge");
    ConsensusSpec.Match match =
        choice(t, "match", ConsensusSpec.Match.class, "exact or normalised");
    TaskSpec judge = null;
    JsonNode j = step.get("judge");
    if (j != null && !j.isObject()) {
      t.error("judge", "must be an object with required_capabilities");
    } else if (j != null) {
      JsonFields jf = t.nested(j, "judge");
      jf.rejectUnknown(JUDGE_FIELDS);
      ObjectNode asTask = ((ObjectNode) j).deepCopy();
      asTask.remove("prompt");
      if (!asTask.has("title")) {
        asTask.put("title", "judge");
      }
      String prompt = jf.string("prompt");
      if (prompt != null) {
        asTask.putObject("input").put("prompt", prompt);
      }
      JsonFields task = t.nested(asTask, "judge");
      judge = TaskRequest.read(task, null).withDependencies(null);
      if (prompt != null && prompt.length() > 10_000) {
        jf.error("prompt", "must be at most 10000 characters");
      }
    }
    return new ConsensusSpec(voters == null ? 0 : voters, rule, match, judge);
  }

  private static <E extends Enum<E>> E choice(
      JsonFields t, String field, Class<E> type, String allowed) {
    String v = t.string(field);
    if (v == null) {
      return null; // a missing rule is named by the spec's own check
    }
    try {
      return Enum.valueOf(type, v.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      t.error(field, "must be " + allowed);
      return null;
    }
  }
}
