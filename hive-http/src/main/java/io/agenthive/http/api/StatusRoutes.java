package io.agenthive.http.api;

import static akka.http.javadsl.server.Directives.*;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import io.agenthive.hive.Hive;
import io.agenthive.http.json.ErrorHandling;
import io.agenthive.http.json.Responses;
import io.agenthive.persistence.Quarantine;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code /} (banner), {@code /health} (process alive), {@code /ready} (the matcher answers), {@code
 * /api/hive/status} (counts and rates, see {@link HiveStatus}), {@code /api/resources}.
 */
public final class StatusRoutes {
  private static final Duration READY_WITHIN = Duration.ofSeconds(2);
  private final Hive hive;
  private final String version;
  private final String hiveId;
  private final int queueBound;

  public StatusRoutes(Hive hive, String version) {
    this.hive = hive;
    this.version = version;
    this.hiveId = hive.system().settings().config().getString("hive.id");
    // read once: the routes are built anew for every request, and a lookup there cost every
    // request a new Settings (the typed system makes one per settings() call)
    this.queueBound = hive.system().settings().config().getInt("hive.core.tasks.queue-bound");
  }

  /** {@code /api/openapi.json}: the document that describes every route; inside {@code /api}. */
  public Route openApi() {
    return path(
        "openapi.json",
        () -> get(() -> getFromResource("api/openapi.json", ContentTypes.APPLICATION_JSON)));
  }

  /** {@code /api/resources}: this node's machine, measured ({@link SystemResources}). */
  public Route resources() {
    return path(
        "resources",
        () -> get(() -> complete(Responses.json(StatusCodes.OK, SystemResources.now(queueBound)))));
  }

  /** {@code /api/hive/status}; inside {@code /api}. */
  public Route hiveStatus(String requestId) {
    return path(PathMatchers.segment("hive").slash("status"), () -> get(() -> counted(requestId)));
  }

  private Route counted(String requestId) {
    var status =
        hive.counts()
            .thenApply(
                counts ->
                    HiveStatus.of(
                        hiveId,
                        version,
                        Duration.ofSeconds(hive.system().uptime()),
                        counts,
                        hive.budgets().holds()));
    return Responses.async(requestId, status, s -> Responses.json(StatusCodes.OK, s));
  }

  /**
   * Ready, and what this node skipped on its way there: journal events it could not read (listed by
   * {@code GET /api/admin/quarantine}), so a start that passed over damage says so.
   */
  private Map<String, Object> readyBody() {
    long skipped = Quarantine.get(hive.system()).skippedHere();
    return skipped == 0
        ? Map.of("status", "ready")
        : Map.of(
            "status",
            "ready",
            "skipped_unreadable_events",
            skipped,
            "see",
            "GET /api/admin/quarantine");
  }

  public Route route(String requestId) {
    return concat(
        path(
            "health",
            () -> get(() -> complete(Responses.json(StatusCodes.OK, Map.of("status", "ok"))))),
        path("ready", () -> get(() -> ready(requestId))));
  }

  /** 200 once the task matcher answers within {@link #READY_WITHIN}, else 503 not_ready. */
  private Route ready(String requestId) {
    return completeWithFuture(
        hive.ready(READY_WITHIN)
            .handle(
                (queue, error) ->
                    error == null
                        ? Responses.json(StatusCodes.OK, readyBody())
                        : ErrorHandling.response(
                            StatusCodes.SERVICE_UNAVAILABLE,
                            "not_ready",
                            "the task matcher did not answer within " + READY_WITHIN,
                            List.of(),
                            requestId,
                            2)));
  }
}
