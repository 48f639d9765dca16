package io.agenthive.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agenthive.common.CborSerializable;

/**
 * An output too large to travel inside its event ({@code hive.limits.inline-output}): its JSON is
 * in the blob store under {@code blobId}, and the event keeps its size and SHA-256, so a reader can
 * check what it streams back ({@code GET /api/tasks/{id}/result}).
 */
public record StoredOutput(String blobId, long size, String sha256) implements CborSerializable {

  /** The blob id of one attempt's output: derived, so a repeated store replaces, never adds. */
  public static String blobId(String taskId, int attempt) {
    return "output-" + taskId + "-" + attempt;
  }

  /** What a reader gets in the output's place: where the output is, and how to check it. */
  public JsonNode reference(String taskId) {
    ObjectNode ref = JsonNodeFactory.instance.objectNode();
    ref.putObject("output_stored")
        .put("size", size)
        .put("sha256", sha256)
        .put("url", "/api/tasks/" + taskId + "/result");
    return ref;
  }
}
