package io.agenthive.http.api;

import io.agenthive.agent.AgentView;
import io.agenthive.http.events.EventRoutes;
import io.agenthive.http.json.Json;
import io.agenthive.persistence.HiveEventFeed;
import io.agenthive.persistence.HiveReplay;
import java.util.List;

/** The audit shapes for tools outside the HTTP layer (the launcher's export and replay). */
public final class AuditFormat {
  private AuditFormat() {}

  /** One event as an NDJSON line (with its newline), the same shape as the API's. */
  public static byte[] ndjsonLine(HiveEventFeed.FeedEvent event) {
    return ndjsonLine(EventRoutes.view(event));
  }

  static byte[] ndjsonLine(EventRoutes.EventJson event) {
    return withNewline(Json.bytes(event));
  }

  /** One NDJSON line: the JSON and its newline. */
  static byte[] withNewline(byte[] json) {
    byte[] line = new byte[json.length + 1];
    System.arraycopy(json, 0, line, 0, json.length);
    line[json.length] = '\n';
    return line;
  }

  /** A rebuilt hive state as JSON, the same shape as {@code GET /api/hive/state}. */
  public static byte[] state(HiveReplay.HiveState s) {
    return Json.bytes(stateJson(s));
  }

  /** The same, indented for a person reading it (the launcher's {@code replay --json}). */
  public static byte[] stateIndented(HiveReplay.HiveState s) {
    try {
      return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(stateJson(s));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write the hive's state as JSON", e);
    }
  }

  static StateJson stateJson(HiveReplay.HiveState s) {
    var runs = s.runsByAgent();
    return new StateJson(
        s.at(),
        s.offset(),
        s.agents().stream()
            .map(a -> Views.agent(AgentView.of(a, runs.getOrDefault(a.id(), List.of()))))
            .toList(),
        s.tasks().stream().map(Views::task).toList());
  }

  record StateJson(
      java.time.Instant at,
      long offset,
      java.util.List<Views.AgentJson> agents,
      java.util.List<Views.TaskJson> tasks) {}
}
