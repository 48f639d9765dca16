package io.agenthive.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The one mapping between the hub's task (as {@code GET /api/tasks/{id}} answers it) and A2A's
 * shapes, in either version. 1.0 is ProtoJSON: {@code TASK_STATE_COMPLETED}, {@code ROLE_AGENT},
 * parts told apart by their field ({@code text}, {@code data}), results wrapped by their kind
 * ({@code {"task": ...}}). 0.3 is the older JSON schema: {@code completed}, {@code agent}, a {@code
 * kind} on every object and part, results bare, {@code final} on status updates.
 */
final class A2aShapes {
  private static final JsonNodeFactory N = JsonNodeFactory.instance;
  private static final String PREFIX = "TASK_STATE_";

  /** Our status → A2A's state (1.0 names); docs/a2a.md shows this table. */
  static final Map<String, String> STATES =
      Map.ofEntries(
          Map.entry("pending", "TASK_STATE_SUBMITTED"),
          Map.entry("blocked", "TASK_STATE_SUBMITTED"),
          Map.entry("scheduled", "TASK_STATE_SUBMITTED"),
          Map.entry("assigned", "TASK_STATE_WORKING"),
          Map.entry("running", "TASK_STATE_WORKING"),
          Map.entry("waiting_for_approval", "TASK_STATE_INPUT_REQUIRED"),
          Map.entry("waiting", "TASK_STATE_INPUT_REQUIRED"),
          Map.entry("completed", "TASK_STATE_COMPLETED"),
          Map.entry("failed", "TASK_STATE_FAILED"),
          Map.entry("expired", "TASK_STATE_FAILED"),
          Map.entry("cancelled", "TASK_STATE_CANCELED"),
          Map.entry("rejected", "TASK_STATE_REJECTED"));

  private static final Set<String> FINAL =
      Set.of(
          "TASK_STATE_COMPLETED",
          "TASK_STATE_FAILED",
          "TASK_STATE_CANCELED",
          "TASK_STATE_REJECTED");

  private A2aShapes() {}

  /** Our task's state in 1.0 names (the comparisons use these; {@link #stateName} shows them). */
  static String state(JsonNode ours) {
    return STATES.getOrDefault(ours.path("status").asText(), "TASK_STATE_UNSPECIFIED");
  }

  static String stateName(String v1State, A2aVersion v) {
    if (v == A2aVersion.V1_0) {
      return v1State;
    }
    String name = v1State.substring(PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '-');
    return name.equals("unspecified") ? "unknown" : name;
  }

  /** A 1.0 or 0.3 state name (any case) as a 1.0 name, or null when it is neither. */
  static String parseState(String text) {
    String upper = text.strip().toUpperCase(Locale.ROOT).replace('-', '_');
    String v1 = upper.startsWith(PREFIX) ? upper : PREFIX + upper;
    return STATES.containsValue(v1) || v1.equals(PREFIX + "AUTH_REQUIRED") ? v1 : null;
  }

  static boolean isFinal(String v1State) {
    return FINAL.contains(v1State);
  }

  /** Final, or waiting for someone: where a blocking send stops waiting. */
  static boolean isSettled(String v1State) {
    return isFinal(v1State) || v1State.equals("TASK_STATE_INPUT_REQUIRED");
  }

  /** A2A's context is our workflow when the task is a step of one, else the task itself. */
  static String contextId(JsonNode ours) {
    String workflow = ours.path("workflow_id").asText("");
    return workflow.isEmpty() ? ours.path("id").asText() : workflow;
  }

  static ObjectNode task(JsonNode ours, A2aVersion v) {
    ObjectNode t = N.objectNode();
    if (v == A2aVersion.V0_3) {
      t.put("kind", "task");
    }
    t.put("id", ours.path("id").asText());
    t.put("contextId", contextId(ours));
    t.set("status", status(ours, v));
    ObjectNode artifact = artifact(ours, v);
    ArrayNode artifacts = t.putArray("artifacts");
    if (artifact != null) {
      artifacts.add(artifact);
    }
    ArrayNode history = t.putArray("history");
    JsonNode input = ours.path("input");
    if (!input.isMissingNode() && !input.isNull()) {
      history.add(message(ours, "user", input, ours.path("id").asText() + "-input", v));
    }
    ObjectNode hive = t.putObject("metadata").putObject("hive");
    hive.put("status", ours.path("status").asText());
    hive.put("title", ours.path("title").asText());
    hive.put("priority", ours.path("priority").asText());
    if (ours.hasNonNull("assigned_agent")) {
      hive.put("assigned_agent", ours.get("assigned_agent").asText());
    }
    return t;
  }

  static ObjectNode status(JsonNode ours, A2aVersion v) {
    String state = state(ours);
    ObjectNode s = N.objectNode();
    s.put("state", stateName(state, v));
    s.put("timestamp", timestamp(ours));
    String said = statusText(ours, state);
    if (said != null) {
      s.set("message", message(ours, "agent", N.textNode(said), null, v));
    }
    return s;
  }

  /** Why the task is where it is, when that is worth saying: an error, a prompt, a wait. */
  private static String statusText(JsonNode ours, String state) {
    if (state.equals("TASK_STATE_FAILED") || state.equals("TASK_STATE_REJECTED")) {
      String error = ours.path("result").path("error").asText("");
      return error.isEmpty() ? ours.path("status").asText() : error;
    }
    if (state.equals("TASK_STATE_INPUT_REQUIRED")) {
      String prompt = ours.path("approval").path("prompt").asText("");
      return prompt.isEmpty() ? ours.path("waiting_reason").asText("waiting for a signal") : prompt;
    }
    return null;
  }

  /** The newest of the task's instants: when it last changed, as far as the task says. */
  static String timestamp(JsonNode ours) {
    String newest = ours.path("created_at").asText("");
    for (String field : new String[] {"assigned_at", "started_at", "completed_at"}) {
      String at = ours.path(field).asText("");
      if (!at.isEmpty() && at.compareTo(newest) > 0) {
        newest = at;
      }
    }
    return newest;
  }

  /** The output as one artifact: text for a string, data for other JSON; null when none. */
  static ObjectNode artifact(JsonNode ours, A2aVersion v) {
    JsonNode result = ours.path("result");
    JsonNode output = result.path("output");
    if (result.hasNonNull("output_stored")) {
      output = result.get("output_stored"); // too large to inline: where to read it
    }
    if (output.isMissingNode() || output.isNull()) {
      return null;
    }
    ObjectNode a = N.objectNode();
    a.put("artifactId", ours.path("id").asText() + "-output");
    a.put("name", "output");
    a.putArray("parts").add(part(output, v));
    return a;
  }

  static ObjectNode part(JsonNode content, A2aVersion v) {
    ObjectNode p = N.objectNode();
    if (content.isTextual()) {
      if (v == A2aVersion.V0_3) {
        p.put("kind", "text");
      }
      p.put("text", content.textValue());
    } else {
      if (v == A2aVersion.V0_3) {
        p.put("kind", "data");
        // 0.3's data part holds an object: anything else is wrapped
        p.set("data", content.isObject() ? content : N.objectNode().set("value", content));
      } else {
        p.set("data", content);
        p.put("mediaType", "application/json");
      }
    }
    return p;
  }

  private static ObjectNode message(
      JsonNode ours, String role, JsonNode content, String messageId, A2aVersion v) {
    ObjectNode m = N.objectNode();
    if (v == A2aVersion.V0_3) {
      m.put("kind", "message");
    }
    m.put("messageId", messageId != null ? messageId : ours.path("id").asText() + "-status");
    m.put("role", v == A2aVersion.V1_0 ? "ROLE_" + role.toUpperCase(Locale.ROOT) : role);
    m.putArray("parts").add(part(content, v));
    m.put("taskId", ours.path("id").asText());
    m.put("contextId", contextId(ours));
    return m;
  }

  static ObjectNode statusUpdate(JsonNode ours, A2aVersion v) {
    ObjectNode e = N.objectNode();
    if (v == A2aVersion.V0_3) {
      e.put("kind", "status-update");
    }
    e.put("taskId", ours.path("id").asText());
    e.put("contextId", contextId(ours));
    e.set("status", status(ours, v));
    if (v == A2aVersion.V0_3) {
      e.put("final", isFinal(state(ours)));
    }
    return e;
  }

  /** The output as an artifact update, or null when there is none. */
  static ObjectNode artifactUpdate(JsonNode ours, A2aVersion v) {
    ObjectNode artifact = artifact(ours, v);
    if (artifact == null) {
      return null;
    }
    ObjectNode e = N.objectNode();
    if (v == A2aVersion.V0_3) {
      e.put("kind", "artifact-update");
    }
    e.put("taskId", ours.path("id").asText());
    e.put("contextId", contextId(ours));
    e.set("artifact", artifact);
    e.put("append", false);
    e.put("lastChunk", true);
    return e;
  }

  /**
   * A result as a response carries it: 1.0 wraps it in its kind ({@code task}, {@code message},
   * {@code statusUpdate}, {@code artifactUpdate}); 0.3 sends it bare, its {@code kind} inside.
   */
  static JsonNode wrapped(String kind, ObjectNode value, A2aVersion v) {
    return v == A2aVersion.V1_0 ? N.objectNode().set(kind, value) : value;
  }
}
