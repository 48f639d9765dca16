package io.agenthive.skill.tools;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One tool call of an attempt, as its output and error record it: which model step asked for it,
 * the tool (and where it lives: {@code hive} or {@code mcp:<server>}), a SHA-256 of its arguments
 * (never the arguments: they may hold what the task is about), how long it took, and its outcome:
 * {@code ok}, {@code error} (the tool failed; the model was told) or {@code refused} (not allowed
 * to this agent; the model was told).
 */
public record ToolCallRecord(
    int step,
    String name,
    String source,
    String argumentsSha256,
    long durationMs,
    String outcome,
    String detail) {

  public ObjectNode toJson() {
    ObjectNode n =
        JsonNodeFactory.instance
            .objectNode()
            .put("step", step)
            .put("name", name)
            .put("source", source)
            .put("arguments_sha256", argumentsSha256)
            .put("duration_ms", durationMs)
            .put("outcome", outcome);
    if (detail != null) {
      n.put("detail", detail);
    }
    return n;
  }

  /** One line for an error message: {@code name (outcome)}. */
  public String brief() {
    return name + " (" + outcome + ")";
  }
}
