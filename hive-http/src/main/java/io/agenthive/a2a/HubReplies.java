package io.agenthive.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.mcp.HubApi;
import java.util.regex.Pattern;

/**
 * What the hub's own API answered, as an A2A result or error: the API decided (roles, validation,
 * not found), the A2A server only translates. A field error keeps its field, prefixed with where
 * the A2A request carried it ({@code metadata.priority}).
 */
final class HubReplies {
  private static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9._:-]{1,200}");

  private HubReplies() {}

  /** A task id from the params, checked before it becomes part of an API path. */
  static String taskId(JsonNode params, String field) {
    JsonNode id = params.path(field);
    if (!id.isTextual() || id.textValue().isBlank()) {
      throw A2aError.invalid(field, "is required: the task's id");
    }
    if (!TASK_ID.matcher(id.textValue()).matches()) {
      throw A2aError.taskNotFound(
          id.textValue().substring(0, Math.min(60, id.textValue().length())));
    }
    return id.textValue();
  }

  /** The answer's JSON when it succeeded; else the A2A error saying why. */
  static JsonNode ok(HubApi.Reply reply, String taskId, String fieldPrefix) {
    if (reply.ok()) {
      return reply.json();
    }
    throw error(reply, taskId, fieldPrefix);
  }

  static A2aError error(HubApi.Reply reply, String taskId, String fieldPrefix) {
    JsonNode error = reply.json().path("error");
    String message = error.path("message").asText("the hub answered " + reply.status());
    int status = reply.status();
    if (status == 404 && taskId != null) {
      return A2aError.taskNotFound(taskId);
    }
    if (status == 400 || status == 422) {
      JsonNode first = error.path("field_errors").path(0);
      if (first.isObject()) {
        String field = fieldPrefix + first.path("field").asText();
        return A2aError.invalid(field, first.path("message").asText(message));
      }
      return new A2aError(A2aError.INVALID_PARAMS, message);
    }
    if (status == 401 || status == 403 || status == 429 || status == 503) {
      // the caller's key, role or rate: the same HTTP status as the REST API answers
      return new A2aError(A2aError.SERVER_ERROR, message, null, status);
    }
    return new A2aError(A2aError.INTERNAL, "the hub answered " + status + ": " + message);
  }
}
