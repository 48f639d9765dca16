package io.agenthive.http.api;

import io.agenthive.agent.AgentView;
import io.agenthive.http.events.EventRoutes;
import io.agenthive.http.json.Json;
import io.agenthive.persistence.HiveEventFeed;
import io.agenthive.persistence.HiveReplay;

/** The audit shapes for tools outside the HTTP layer (the launcher's export and replay). */
public final class AuditFormat {
  private AuditFormat() {}

  /** One event as an NDJSON line (with its newline), the same shape as the API's. */
  public static byte[] ndjsonLine(HiveEventFeed.FeedEvent event) {
    return ndjsonLine(EventRoutes.view(event));
  }

  static byte[] ndjsonLine(EventRoutes.EventJson event) {
    byte[] json = Json.bytes(event);
    byte[] line = new byte[json.length + 1];
    System.arraycopy(json, 0, line, 0, json.length);
    line[json.length] = '\n';
    return line;
  }

  /** A rebuilt hive state as JSON, the same shape as {@code GET /api/hive/state}. */
  public static byte[] state(HiveReplay.HiveState s) {
    return Json.bytes(stateJson(s));
  }

  static StateJson stateJson(HiveReplay.HiveState s) {
    return new StateJson(
        s.at(),
        s.offset(),
        s.agents().stream().map(a -> Views.agent(AgentView.settled(a))).toList(),
        s.tasks().stream().map(Views::task).toList());
  }

  record StateJson(
      java.time.Instant at,
      long offset,
      java.util.List<Views.AgentJson> agents,
      java.util.List<Views.TaskJson> tasks) {}
}
