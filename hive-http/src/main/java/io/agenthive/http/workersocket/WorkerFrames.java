package io.agenthive.http.workersocket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agenthive.http.json.ApiError;
import io.agenthive.http.json.Json;
import io.agenthive.remoteagent.WorkerLink;
import io.agenthive.skill.SkillRequest;
import java.nio.charset.StandardCharsets;

/**
 * The worker protocol's JSON frames (docs/worker-protocol.md): reading what workers send, and
 * writing what the hub sends. Every frame is an object with a {@code type}.
 */
public final class WorkerFrames {
  private WorkerFrames() {}

  /** A frame that could not be understood; its message goes back in an error frame. */
  static final class BadFrame extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadFrame(String message) {
      super(message);
    }
  }

  static ObjectNode parse(String text) {
    JsonNode node;
    try {
      node = Json.parse(text.getBytes(StandardCharsets.UTF_8));
    } catch (ApiError e) {
      throw new BadFrame("not JSON: " + e.getMessage());
    }
    if (!(node instanceof ObjectNode o) || !o.path("type").isTextual()) {
      throw new BadFrame("a frame is a JSON object with a string \"type\"");
    }
    return o;
  }

  /** accepted, progress, result or failed, for the agent's link. */
  static WorkerLink.FromWorker answer(ObjectNode f) {
    String kind = f.get("type").asText();
    JsonNode task = f.path("task_id");
    JsonNode attempt = f.path("attempt");
    if (!task.isTextual() || !attempt.canConvertToInt() || attempt.asInt() < 1) {
      throw new BadFrame(kind + " needs task_id (string) and attempt (whole number from 1)");
    }
    JsonNode quality = f.path("quality_score");
    if (!quality.isMissingNode()
        && !quality.isNull()
        && (!quality.isNumber() || quality.asDouble() < 0 || quality.asDouble() > 1)) {
      throw new BadFrame("quality_score must be a number from 0 to 1");
    }
    if (kind.equals("failed") && !f.path("error").isTextual()) {
      throw new BadFrame("failed needs error (string)");
    }
    JsonNode output = f.get("output");
    return new WorkerLink.FromWorker(
        kind,
        task.asText(),
        attempt.asInt(),
        output == null ? Json.MAPPER.createObjectNode() : output,
        quality.isNumber() ? quality.asDouble() : null,
        f.path("error").asText(null),
        f.path("retryable").asBoolean(true));
  }

  /**
   * {@code partial}: text the worker's attempt produced, for live output. The attempt is required,
   * as for {@code result}: a late piece of an older attempt must not join the new one's text.
   */
  static WorkerLink.Partial partial(ObjectNode f) {
    JsonNode attempt = f.path("attempt");
    if (!f.path("task_id").isTextual()
        || !f.path("text").isTextual()
        || !attempt.canConvertToInt()
        || attempt.asInt() < 1) {
      throw new BadFrame(
          "partial needs task_id (string), attempt (whole number from 1) and text (string)");
    }
    return new WorkerLink.Partial(
        f.get("task_id").asText(), attempt.asInt(), f.get("text").asText());
  }

  static String registered(String agentId, int maxConcurrency, WorkerSettings settings) {
    return Json.MAPPER
        .createObjectNode()
        .put("type", "registered")
        .put("agent_id", agentId)
        .put("max_concurrency", maxConcurrency)
        .put("heartbeat_interval_ms", settings.heartbeatInterval().toMillis())
        .toString();
  }

  /** {@code traceparent}: the attempt's W3C trace context when tracing is on, else null. */
  static String taskAssigned(SkillRequest r, String traceparent) {
    ObjectNode o =
        Json.MAPPER
            .createObjectNode()
            .put("type", "task_assigned")
            .put("task_id", r.taskId())
            .put("attempt", r.attempt())
            .put("title", r.title())
            .put("description", r.description())
            .put("task_type", r.type())
            .put("deadline", r.deadline().toString());
    o.set("input", r.input());
    if (!r.dependencies().isEmpty()) {
      // only for a task that waited for others, so a worker that predates them sees no change
      ObjectNode deps = o.putObject("dependencies");
      r.dependencyOutputs().forEach(deps::set);
    }
    if (traceparent != null) {
      o.put("traceparent", traceparent);
    }
    return o.toString();
  }

  static String ignored(WorkerLink.Ignored i) {
    return Json.MAPPER
        .createObjectNode()
        .put("type", "ignored")
        .put("task_id", i.taskId())
        .put("attempt", i.attempt())
        .put("reason", i.reason())
        .toString();
  }

  static String heartbeat() {
    return "{\"type\":\"heartbeat\"}";
  }

  static String error(String message) {
    return Json.MAPPER.createObjectNode().put("type", "error").put("message", message).toString();
  }
}
