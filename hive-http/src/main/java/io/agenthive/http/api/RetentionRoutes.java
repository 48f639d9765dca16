package io.agenthive.http.api;

import static akka.http.javadsl.server.Directives.*;

import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import io.agenthive.http.json.Responses;
import io.agenthive.persistence.retention.TaskRetention;
import java.time.Instant;
import java.util.List;

/**
 * Retention of finished tasks (admin): {@code GET /api/admin/retention} is the dry run (what a
 * sweep now would take, and the settings), {@code POST /api/admin/retention/sweep} runs one sweep
 * now.
 */
public final class RetentionRoutes {
  private final TaskRetention retention;

  public RetentionRoutes(TaskRetention retention) {
    this.retention = retention;
  }

  record PlanJson(
      boolean enabled,
      String finishedTasksAfter,
      String archiveDir,
      String sweepInterval,
      int perSweep,
      boolean deleteEvents,
      Instant cutoff,
      long due,
      List<String> first) {}

  record SweepJson(
      Instant cutoff, int retired, long rowsRemoved, long eventsDeleted, String archive) {}

  public Route route(String requestId) {
    return pathPrefix(
        "admin",
        () ->
            pathPrefix(
                "retention",
                () ->
                    concat(
                        pathEnd(() -> get(() -> plan(requestId))),
                        path("sweep", () -> post(() -> sweep(requestId))))));
  }

  private Route plan(String requestId) {
    return Responses.async(
        requestId,
        retention.plan(),
        p ->
            Responses.json(
                StatusCodes.OK,
                new PlanJson(
                    p.enabled(),
                    p.enabled() ? p.settings().finishedTasksAfter().toString() : "off",
                    p.settings().archiveDir().toString(),
                    p.settings().sweepInterval().toString(),
                    p.settings().perSweep(),
                    p.settings().deleteEvents(),
                    p.cutoff(),
                    p.due(),
                    p.first())));
  }

  private Route sweep(String requestId) {
    return Responses.async(
        requestId,
        retention.sweep(),
        s ->
            Responses.json(
                StatusCodes.OK,
                new SweepJson(
                    s.cutoff(),
                    s.retired(),
                    s.rowsRemoved(),
                    s.eventsDeleted(),
                    s.archive() == null ? null : s.archive().toString())));
  }
}
