package io.agenthive.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Why a tool call did not do what was asked, in a sentence the assistant can act on. It becomes a
 * tool result with {@code isError}, never a protocol error: the call itself was well formed.
 */
final class ToolFailure extends RuntimeException {
  ToolFailure(String message) {
    super(message, null, false, false);
  }

  /** A bad argument, named. */
  static ToolFailure argument(String field, String problem) {
    return new ToolFailure(field + ": " + problem);
  }

  /** The API's error body, with its field errors spelled out ("priority: must be one of ..."). */
  static ToolFailure fromApi(HubApi.Reply reply) {
    JsonNode error = reply.json().path("error");
    String message = error.path("message").asText("");
    List<String> fields = new ArrayList<>();
    for (JsonNode f : error.path("field_errors")) {
      fields.add(f.path("field").asText() + ": " + f.path("message").asText());
    }
    String what =
        !fields.isEmpty()
            ? String.join("; ", fields)
            : message.isEmpty() ? reply.json().toString() : message;
    return new ToolFailure("the hub answered " + reply.status() + ": " + what);
  }
}
