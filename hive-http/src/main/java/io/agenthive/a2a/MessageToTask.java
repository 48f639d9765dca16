package io.agenthive.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * An A2A message as the body of {@code POST /api/tasks}: its text parts joined are the task's input
 * (a lone data part is the input as it is; text and data together are {@code {text, data}}), its
 * first line the title. {@code metadata} (of the request, else of the message) may carry the task's
 * {@code priority} and {@code required_capabilities} (names, or objects as the API takes them); the
 * API checks them as for any task, and its field errors come back named {@code metadata.<field>}.
 * Files are not taken (ContentTypeNotSupported): a task's input is JSON.
 */
final class MessageToTask {
  static final int TITLE_CHARS = 60;
  static final int MAX_PARTS = 100;
  private static final JsonNodeFactory N = JsonNodeFactory.instance;

  private MessageToTask() {}

  /** The message of SendMessage's params, checked; errors name the field. */
  static JsonNode message(JsonNode params) {
    JsonNode message = params.path("message");
    if (!message.isObject()) {
      throw A2aError.invalid("message", "is required: an object with parts");
    }
    JsonNode parts = message.path("parts");
    if (!parts.isArray() || parts.isEmpty()) {
      throw A2aError.invalid("message.parts", "at least one part is required");
    }
    if (parts.size() > MAX_PARTS) {
      throw A2aError.invalid("message.parts", "at most " + MAX_PARTS + " parts");
    }
    JsonNode taskId = message.path("taskId");
    if (taskId.isTextual() && !taskId.textValue().isBlank()) {
      // a message to a task that exists continues it; hub tasks take no further input that way
      throw new A2aError(
          A2aError.UNSUPPORTED_OPERATION,
          "message.taskId: a message to an existing task is not supported; a waiting task is"
              + " continued with POST /api/tasks/{id}/decision or /signals/{name}",
          "message.taskId",
          200);
    }
    return message;
  }

  /** The body for {@code POST /api/tasks}. */
  static ObjectNode body(JsonNode params) {
    JsonNode message = message(params);
    List<String> texts = new ArrayList<>();
    ArrayNode data = N.arrayNode();
    JsonNode parts = message.get("parts");
    for (int i = 0; i < parts.size(); i++) {
      read(parts.get(i), "message.parts[" + i + "]", texts, data);
    }
    String text = String.join("\n", texts);
    ObjectNode body = N.objectNode();
    body.put("title", title(text));
    if (data.isEmpty()) {
      body.put("input", text);
    } else if (texts.isEmpty() && data.size() == 1) {
      body.set("input", data.get(0));
    } else {
      body.putObject("input").put("text", text).set("data", data);
    }
    JsonNode metadata =
        params.path("metadata").isObject() ? params.get("metadata") : message.path("metadata");
    copyMetadata(metadata, body);
    return body;
  }

  private static void read(JsonNode part, String at, List<String> texts, ArrayNode data) {
    if (!part.isObject()) {
      throw A2aError.invalid(at, "must be an object");
    }
    String kind = part.path("kind").asText("");
    if (part.has("text") || kind.equals("text")) {
      if (!part.path("text").isTextual()) {
        throw A2aError.invalid(at + ".text", "must be a string");
      }
      texts.add(part.get("text").textValue());
    } else if (part.has("data") || kind.equals("data")) {
      data.add(part.path("data"));
    } else if (part.has("url") || part.has("raw") || part.has("file") || kind.equals("file")) {
      throw new A2aError(
          A2aError.CONTENT_TYPE_NOT_SUPPORTED,
          at + ": file parts are not supported; send text or data parts",
          at,
          200);
    } else {
      throw A2aError.invalid(at, "must be a text or data part");
    }
  }

  /** The first non-blank line, bounded; the hub's default when there is no text. */
  static String title(String text) {
    for (String line : text.split("\n")) {
      String t = line.strip();
      if (!t.isEmpty()) {
        return t.length() <= TITLE_CHARS ? t : t.substring(0, TITLE_CHARS - 1) + "…";
      }
    }
    return "A2A message";
  }

  private static void copyMetadata(JsonNode metadata, ObjectNode body) {
    if (!metadata.isObject()) {
      return;
    }
    if (metadata.has("priority")) {
      body.set("priority", metadata.get("priority"));
    }
    JsonNode caps = metadata.path("required_capabilities");
    if (caps.isMissingNode()) {
      return;
    }
    if (!caps.isArray()) {
      throw A2aError.invalid("metadata.required_capabilities", "must be a list of names");
    }
    ArrayNode out = body.putArray("required_capabilities");
    for (JsonNode c : caps) {
      out.add(c.isTextual() ? N.objectNode().put("name", c.textValue()) : c);
    }
  }
}
