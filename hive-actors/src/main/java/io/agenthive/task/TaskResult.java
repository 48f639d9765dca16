package io.agenthive.task;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.common.CborSerializable;
import io.agenthive.common.Personal;

/**
 * The outcome of a task's last attempt. {@code qualityScore} may be null when unknown. {@code
 * stored}: the output was too large to keep here and is in the blob store ({@code output} is then
 * null); journals of earlier versions have no such field.
 */
public record TaskResult(
    boolean success,
    @Personal JsonNode output,
    @Personal String error,
    long durationMs,
    Double qualityScore,
    StoredOutput stored)
    implements CborSerializable {

  @JsonCreator
  public TaskResult {
    // a stored output is only where it is stored (read back, a null JsonNode is a NullNode)
    output = stored != null ? null : output;
  }

  public TaskResult(
      boolean success, JsonNode output, String error, long durationMs, Double qualityScore) {
    this(success, output, error, durationMs, qualityScore, null);
  }

  /** The output, or where it is when it was stored beside the event. */
  public JsonNode outputOrReference(String taskId) {
    return stored == null ? output : stored.reference(taskId);
  }
}
