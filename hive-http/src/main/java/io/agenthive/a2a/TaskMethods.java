package io.agenthive.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agenthive.mcp.HubApi;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * SendMessage, GetTask, ListTasks and CancelTask as calls of the hub's REST API, as the caller: the
 * API's roles, validation and journal apply as to any of its clients.
 */
final class TaskMethods {
  static final int MAX_PAGE = 100;
  private static final int MAX_TOKEN = 500;
  private static final java.util.Set<String> NO_STATE =
      java.util.Set.of("", "TASK_STATE_UNSPECIFIED", "UNRECOGNIZED");
  private static final JsonNodeFactory N = JsonNodeFactory.instance;
  private final TaskFollower follower;
  private final Duration maxBlockingWait;

  TaskMethods(TaskFollower follower, Duration maxBlockingWait) {
    this.follower = follower;
    this.maxBlockingWait = maxBlockingWait;
  }

  /** Makes the task (POST /api/tasks); the created task as the API answered it. */
  static CompletionStage<JsonNode> create(HubApi.Caller caller, JsonNode params) {
    ObjectNode body = MessageToTask.body(params);
    return caller
        .call("POST", "/api/tasks", body)
        .thenApply(reply -> HubReplies.ok(reply, null, fieldPrefix(reply)));
  }

  /** Where the A2A request carried a field the API names: the task's options come as metadata. */
  private static String fieldPrefix(HubApi.Reply reply) {
    String field = reply.json().path("error").path("field_errors").path(0).path("field").asText();
    return field.startsWith("priority") || field.startsWith("required_capabilities")
        ? "metadata."
        : "message.";
  }

  /**
   * Waits for the task to settle unless told not to: 1.0's {@code returnImmediately}, or {@code
   * blocking: false} (0.3, and taken in 1.0 too).
   */
  static boolean blocking(JsonNode params) {
    JsonNode c = params.path("configuration");
    return !c.path("returnImmediately").asBoolean(false) && c.path("blocking").asBoolean(true);
  }

  CompletionStage<JsonNode> send(HubApi.Caller caller, JsonNode params, A2aVersion v) {
    return create(caller, params).thenCompose(task -> sendExisting(caller, task, params, v));
  }

  /** The answer to SendMessage for the task it made: once settled, unless told not to wait. */
  CompletionStage<JsonNode> sendExisting(
      HubApi.Caller caller, JsonNode created, JsonNode params, A2aVersion v) {
    CompletionStage<JsonNode> task =
        blocking(params)
            ? follower.settled(caller, created.path("id").asText(), maxBlockingWait)
            : CompletableFuture.completedFuture(created);
    return task.thenApply(t -> A2aShapes.wrapped("task", shaped(t, params, v), v));
  }

  CompletionStage<JsonNode> get(HubApi.Caller caller, JsonNode params, A2aVersion v) {
    String id = HubReplies.taskId(params, "id");
    return caller
        .call("GET", "/api/tasks/" + id, null)
        .thenApply(reply -> shaped(HubReplies.ok(reply, id, ""), params, v));
  }

  CompletionStage<JsonNode> cancel(HubApi.Caller caller, JsonNode params, A2aVersion v) {
    String id = HubReplies.taskId(params, "id");
    return caller
        .call("POST", "/api/tasks/" + id + "/cancel", null)
        .thenApply(
            reply -> {
              if (reply.status() == 409) {
                throw new A2aError(
                    A2aError.TASK_NOT_CANCELABLE,
                    reply.json().path("error").path("message").asText("task " + id + " is final"));
              }
              return (JsonNode) A2aShapes.task(HubReplies.ok(reply, id, ""), v);
            });
  }

  /**
   * A page of the caller's view of the hub's tasks, newest first; {@code pageToken} is our cursor.
   * {@code status} filters by the hub status that state mostly is (docs/a2a.md); {@code contextId}
   * filters the page it is given.
   */
  CompletionStage<JsonNode> list(HubApi.Caller caller, JsonNode params, A2aVersion v) {
    int size = pageSize(params);
    StringBuilder query = new StringBuilder("/api/tasks?limit=").append(size);
    String token = params.path("pageToken").asText("");
    if (token.length() > MAX_TOKEN) {
      throw A2aError.invalid("pageToken", "is not a page token this hub gave");
    }
    if (!token.isEmpty()) {
      query.append("&cursor=").append(URLEncoder.encode(token, StandardCharsets.UTF_8));
    }
    JsonNode status = params.path("status");
    // the JavaScript SDK sends its enum's "no value" as UNRECOGNIZED: no filter, like UNSPECIFIED
    if (status.isTextual() && !NO_STATE.contains(status.textValue())) {
      query.append("&status=").append(ourStatus(status.textValue()));
    }
    String context = params.path("contextId").asText("");
    return caller
        .call("GET", query.toString(), null)
        .thenApply(
            reply -> {
              JsonNode page = HubReplies.ok(reply, null, "");
              ObjectNode out = N.objectNode();
              ArrayNode tasks = out.putArray("tasks");
              for (JsonNode t : page.path("items")) {
                if (context.isEmpty() || context.equals(A2aShapes.contextId(t))) {
                  ObjectNode task = shaped(t, params, v);
                  if (!params.path("includeArtifacts").asBoolean(false)) {
                    task.putArray("artifacts");
                  }
                  tasks.add(task);
                }
              }
              out.put("nextPageToken", page.path("next_cursor").asText(""));
              out.put("pageSize", size);
              out.put("totalSize", page.path("total").asLong());
              return out;
            });
  }

  private static int pageSize(JsonNode params) {
    JsonNode size = params.path("pageSize");
    if (size.isMissingNode() || size.isNull()) {
      return 50;
    }
    if (!size.isIntegralNumber() || size.asInt() < 1 || size.asInt() > MAX_PAGE) {
      throw A2aError.invalid("pageSize", "must be a whole number from 1 to " + MAX_PAGE);
    }
    return size.asInt();
  }

  /** The hub status an A2A state filter stands for. */
  private static String ourStatus(String state) {
    String v1 = A2aShapes.parseState(state);
    if (v1 == null) {
      throw A2aError.invalid("status", "must be a task state such as TASK_STATE_COMPLETED");
    }
    return switch (v1) {
      case "TASK_STATE_SUBMITTED" -> "pending";
      case "TASK_STATE_WORKING" -> "running";
      case "TASK_STATE_INPUT_REQUIRED" -> "waiting_for_approval";
      case "TASK_STATE_COMPLETED" -> "completed";
      case "TASK_STATE_FAILED" -> "failed";
      case "TASK_STATE_CANCELED" -> "cancelled";
      case "TASK_STATE_REJECTED" -> "rejected";
      default -> throw A2aError.invalid("status", "no hub task is ever " + state);
    };
  }

  /** The task in A2A's shape, its history cut to {@code historyLength} (0: none). */
  static ObjectNode shaped(JsonNode ours, JsonNode params, A2aVersion v) {
    ObjectNode task = A2aShapes.task(ours, v);
    JsonNode length = params.path("historyLength");
    if (length.isMissingNode()) {
      length = params.path("configuration").path("historyLength");
    }
    if (length.isIntegralNumber() && length.asInt() <= 0) {
      task.putArray("history");
    }
    return task;
  }
}
