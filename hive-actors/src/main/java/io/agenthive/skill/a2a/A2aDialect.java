package io.agenthive.skill.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The two JSON-RPC dialects of A2A the hub speaks, in order of preference: 1.0 (PascalCase methods,
 * {@code ROLE_USER}, parts without {@code kind}, answers wrapped as {@code {"task": ...}}) and 0.3
 * (slash methods, {@code "user"}, parts and answers with a {@code kind}). Task states and parts are
 * read the same way for both ({@link RemoteTask}).
 */
enum A2aDialect {
  V1_0("1.0", "SendMessage", "SendStreamingMessage", "GetTask", "CancelTask"),
  V0_3("0.3", "message/send", "message/stream", "tasks/get", "tasks/cancel");

  final String version;
  final String send;
  final String stream;
  final String get;
  final String cancel;

  A2aDialect(String version, String send, String stream, String get, String cancel) {
    this.version = version;
    this.send = send;
    this.stream = stream;
    this.get = get;
    this.cancel = cancel;
  }

  /** The dialect of a card's protocol version ("1.0", "1", "0.3.0"), or null for others. */
  static A2aDialect of(String protocolVersion) {
    String v = protocolVersion.trim();
    if (v.equals("1") || v.startsWith("1.")) {
      return V1_0;
    }
    if (v.equals("0.3") || v.startsWith("0.3.")) {
      return V0_3;
    }
    return null;
  }

  /**
   * The params of a send: one user message with one text part, not waiting for the task to end (the
   * hub follows it, and must learn its id at once to be able to cancel it).
   */
  ObjectNode sendParams(ObjectMapper json, String messageId, String text, ObjectNode metadata) {
    ObjectNode params = json.createObjectNode();
    ObjectNode message = params.putObject("message");
    ObjectNode part = json.createObjectNode();
    ObjectNode configuration = params.putObject("configuration");
    if (this == V1_0) {
      message.put("messageId", messageId).put("role", "ROLE_USER");
      configuration.put("returnImmediately", true).put("historyLength", 0);
    } else {
      message.put("kind", "message").put("messageId", messageId).put("role", "user");
      part.put("kind", "text");
      configuration.put("blocking", false).put("historyLength", 0);
    }
    part.put("text", text);
    message.putArray("parts").add(part);
    message.set("metadata", metadata);
    params.set("metadata", metadata.deepCopy());
    return params;
  }

  ObjectNode taskParams(ObjectMapper json, String remoteTaskId) {
    ObjectNode params = json.createObjectNode().put("id", remoteTaskId);
    if (this == V1_0) {
      params.put("historyLength", 0);
    }
    return params;
  }

  /**
   * What a send's result or a stream event holds: "task", "message", "status" or "artifact", with
   * its object; {@code null} kind for anything else (ignored).
   */
  record Payload(String kind, JsonNode body) {}

  Payload payload(JsonNode result) {
    if (this == V1_0) {
      for (String[] k :
          new String[][] {
            {"task", "task"},
            {"message", "message"},
            {"statusUpdate", "status"},
            {"artifactUpdate", "artifact"}
          }) {
        if (result.path(k[0]).isObject()) {
          return new Payload(k[1], result.get(k[0]));
        }
      }
      // a bare Task (GetTask's and CancelTask's answer)
      return result.path("status").isObject()
          ? new Payload("task", result)
          : new Payload(null, result);
    }
    String kind =
        switch (result.path("kind").asText("")) {
          case "task" -> "task";
          case "message" -> "message";
          case "status-update" -> "status";
          case "artifact-update" -> "artifact";
          default -> result.path("status").isObject() ? "task" : null;
        };
    return new Payload(kind, result);
  }
}
