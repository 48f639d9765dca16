package io.agenthive.skill.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the hub knows of one remote task: its id, state, status message and artifacts, from the task
 * snapshots and stream events of either dialect (states "TASK_STATE_INPUT_REQUIRED" and
 * "input-required" read alike; parts are {@code {"text"}} or {@code {"data"}} with or without a
 * {@code kind}). Immutable: each update is a new one.
 */
record RemoteTask(
    String id, State state, String statusText, Map<String, List<JsonNode>> artifacts) {

  enum State {
    SUBMITTED,
    WORKING,
    COMPLETED,
    FAILED,
    CANCELED,
    REJECTED,
    INPUT_REQUIRED,
    AUTH_REQUIRED,
    UNKNOWN;

    /** The remote task will not move on by itself: terminal, or waiting for the client. */
    boolean settled() {
      return this != SUBMITTED && this != WORKING && this != UNKNOWN;
    }

    static State of(String wire) {
      String s = wire.toUpperCase(Locale.ROOT).replace('-', '_');
      s = s.startsWith("TASK_STATE_") ? s.substring("TASK_STATE_".length()) : s;
      s = s.equals("CANCELLED") ? "CANCELED" : s;
      try {
        return valueOf(s);
      } catch (IllegalArgumentException e) {
        return UNKNOWN;
      }
    }
  }

  RemoteTask {
    artifacts = Map.copyOf(artifacts);
  }

  /** From a Task object. */
  static RemoteTask of(JsonNode task) {
    RemoteTask t = new RemoteTask(task.path("id").asText(""), State.UNKNOWN, "", Map.of());
    t = t.withStatus(task.path("status"));
    for (JsonNode artifact : task.path("artifacts")) {
      t = t.withArtifact(artifact, false);
    }
    return t;
  }

  /** A direct Message answer: no task, its parts are the result. */
  static RemoteTask ofMessage(JsonNode message) {
    Map<String, List<JsonNode>> parts = new LinkedHashMap<>();
    parts.put("message", partsOf(message));
    return new RemoteTask("", State.COMPLETED, "", parts);
  }

  RemoteTask withStatus(JsonNode status) {
    State s = State.of(status.path("state").asText(""));
    String text = textOf(partsOf(status.path("message")));
    return new RemoteTask(id, s, text.isEmpty() ? statusText : text, artifacts);
  }

  /** An artifact, whole or (with {@code append}) as more parts of one already seen. */
  RemoteTask withArtifact(JsonNode artifact, boolean append) {
    Map<String, List<JsonNode>> next = new LinkedHashMap<>(artifacts);
    String key = artifact.path("artifactId").asText(String.valueOf(next.size()));
    List<JsonNode> parts = new ArrayList<>(append ? next.getOrDefault(key, List.of()) : List.of());
    parts.addAll(partsOf(artifact));
    next.put(key, List.copyOf(parts));
    return new RemoteTask(id, state, statusText, next);
  }

  /**
   * The task's output: the JSON of a single data part, else its text parts joined as {@code
   * {"text": ...}} (the status message's text when there are no artifacts).
   */
  JsonNode output(ObjectMapper json) {
    List<JsonNode> all = artifacts.values().stream().flatMap(List::stream).toList();
    if (all.size() == 1 && all.get(0).has("data")) {
      return all.get(0).get("data");
    }
    String text = all.isEmpty() ? statusText : textOf(all);
    return json.createObjectNode().put("text", text);
  }

  private static List<JsonNode> partsOf(JsonNode holder) {
    List<JsonNode> parts = new ArrayList<>();
    holder.path("parts").forEach(parts::add);
    return parts;
  }

  private static String textOf(List<JsonNode> parts) {
    StringBuilder text = new StringBuilder();
    for (JsonNode p : parts) {
      if (p.path("text").isTextual()) {
        text.append(text.length() == 0 ? "" : "\n").append(p.path("text").asText());
      }
    }
    return text.toString();
  }
}
