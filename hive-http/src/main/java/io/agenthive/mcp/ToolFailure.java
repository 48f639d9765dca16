package io.agenthive.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Why a tool call did not do what was asked, in a sentence the assistant can act on. On {@code
 * /mcp} and stdio it becomes a tool result with {@code isError}, never a protocol error: the call
 * itself was well formed, and the model should read why. A bad argument also carries the seed hub's
 * phrase for it ("Invalid priority", "Missing required parameter: count"), because on {@code
 * /api/mcp} the seed's clients expect a JSON-RPC invalid-params error that starts with that phrase
 * (see {@link ArgumentErrors}).
 */
final class ToolFailure extends RuntimeException {
  private final String seedPhrase;
  private final String detail;

  ToolFailure(String message) {
    this(message, null, null);
  }

  private ToolFailure(String message, String seedPhrase, String detail) {
    super(message, null, false, false);
    this.seedPhrase = seedPhrase;
    this.detail = detail;
  }

  /** A bad argument, named; the seed's phrase for it is "Invalid &lt;field&gt;". */
  static ToolFailure argument(String field, String problem) {
    return argument("Invalid " + field, field, problem);
  }

  /** A bad argument, with the seed's own phrase for it (e.g. "Invalid agent type"). */
  static ToolFailure argument(String seedPhrase, String field, String problem) {
    return new ToolFailure(field + ": " + problem, seedPhrase, problem);
  }

  /** A required argument that was not given. */
  static ToolFailure missing(String field) {
    return missing("Missing required parameter: " + field, field);
  }

  /** A required argument that was not given, with the seed's own phrase for it. */
  static ToolFailure missing(String seedPhrase, String field) {
    return new ToolFailure(field + ": is required", seedPhrase, null);
  }

  /** A required argument that was not given, the seed's phrase and a hint at what it takes. */
  static ToolFailure missing(String seedPhrase, String field, String hint) {
    return new ToolFailure(field + ": is required, " + hint, seedPhrase, hint);
  }

  /** Whether the arguments were at fault (not the hub, the caller's role or the task's state). */
  boolean isArgument() {
    return seedPhrase != null;
  }

  /** The seed's phrase first, then our detail: "Invalid priority: must be one of [...]". */
  String seedMessage() {
    if (seedPhrase == null) {
      return getMessage();
    }
    return detail == null ? seedPhrase : seedPhrase + ": " + detail;
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
