package io.agenthive.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agenthive.access.Principal;
import io.agenthive.access.Role;
import io.agenthive.mcp.HubApi;
import java.util.concurrent.CompletionStage;

/**
 * The push notification config methods. Setting one makes the hub call out, so it needs the role
 * that submitting does (operator); so do reading, listing and deleting, since a config holds the
 * receiver's token. The task must be one the caller can read, and a config is its owner's: another
 * caller (not an admin) is answered as if it did not exist (-32001), and lists only their own.
 */
final class PushMethods {
  private static final JsonNodeFactory N = JsonNodeFactory.instance;
  private final PushNotifications push;

  PushMethods(PushNotifications push) {
    this.push = push;
  }

  /** A push config carried by SendMessage's configuration, read before the task is made. */
  PushConfig fromSend(JsonNode params, A2aVersion v, Principal caller) {
    JsonNode c = params.path("configuration");
    String field =
        c.has("taskPushNotificationConfig")
            ? "taskPushNotificationConfig"
            : "pushNotificationConfig";
    if (!c.path(field).isObject()) {
      return null;
    }
    mayCallOut(caller);
    return PushConfig.of("pending", c.get(field), "configuration." + field + ".", v, push.egress())
        .ownedBy(caller.label());
  }

  /** The place of the task about to be made for {@code config} (refused now if there is none). */
  PushStore.Slot reserve(PushConfig config) {
    return push.reserveNewTask(config.owner());
  }

  void added(PushConfig config, HubApi.Caller caller, PushStore.Slot slot) {
    push.add(config, caller, slot);
  }

  CompletionStage<JsonNode> create(
      HubApi.Caller caller, Principal principal, JsonNode params, A2aVersion v) {
    mayCallOut(principal);
    PushConfig config = PushConfig.read(params, v, push.egress()).ownedBy(principal.label());
    return readable(caller, config.taskId())
        .thenApply(task -> (JsonNode) push.add(config, caller, null).json(v));
  }

  CompletionStage<JsonNode> get(
      HubApi.Caller caller, Principal principal, JsonNode params, A2aVersion v) {
    mayCallOut(principal);
    String taskId = HubReplies.taskId(params, v == A2aVersion.V1_0 ? "taskId" : "id");
    String id = configId(params, v);
    return readable(caller, taskId)
        .thenApply(
            task ->
                (JsonNode)
                    push.get(taskId, id, principal)
                        .orElseThrow(
                            () ->
                                new A2aError(
                                    A2aError.TASK_NOT_FOUND,
                                    "task " + taskId + " has no push notification config " + id))
                        .json(v));
  }

  CompletionStage<JsonNode> list(
      HubApi.Caller caller, Principal principal, JsonNode params, A2aVersion v) {
    mayCallOut(principal);
    String taskId = HubReplies.taskId(params, v == A2aVersion.V1_0 ? "taskId" : "id");
    return readable(caller, taskId)
        .thenApply(
            task -> {
              ArrayNode configs = N.arrayNode();
              push.shown(taskId, v, principal).forEach(configs::add);
              if (v == A2aVersion.V0_3) {
                return configs;
              }
              ObjectNode out = N.objectNode();
              out.set("configs", configs);
              return out.put("nextPageToken", "");
            });
  }

  CompletionStage<JsonNode> delete(
      HubApi.Caller caller, Principal principal, JsonNode params, A2aVersion v) {
    mayCallOut(principal);
    String taskId = HubReplies.taskId(params, v == A2aVersion.V1_0 ? "taskId" : "id");
    String id = configId(params, v);
    return readable(caller, taskId)
        .thenApply(
            task -> {
              if (!push.delete(taskId, id, principal)) {
                throw new A2aError(
                    A2aError.TASK_NOT_FOUND,
                    "task " + taskId + " has no push notification config " + id);
              }
              return v == A2aVersion.V1_0 ? N.objectNode() : NullNode.getInstance();
            });
  }

  private static String configId(JsonNode params, A2aVersion v) {
    String field = v == A2aVersion.V1_0 ? "id" : "pushNotificationConfigId";
    String id = params.path(field).asText("");
    if (id.isEmpty() || id.length() > 100) {
      throw A2aError.invalid(field, "is required: the config's id");
    }
    return id;
  }

  /** The task as the caller may read it (else its A2A error). */
  private static CompletionStage<JsonNode> readable(HubApi.Caller caller, String taskId) {
    return caller
        .call("GET", "/api/tasks/" + taskId, null)
        .thenApply(reply -> HubReplies.ok(reply, taskId, ""));
  }

  private static void mayCallOut(Principal caller) {
    if (!caller.role().covers(Role.OPERATOR)) {
      throw new A2aError(
          A2aError.SERVER_ERROR,
          "role "
              + caller.role().label()
              + " may not use push notification configs; it needs operator",
          null,
          403);
    }
  }
}
