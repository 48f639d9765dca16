package io.agenthive.http;

import static akka.http.javadsl.server.Directives.*;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import io.agenthive.hive.Hive;
import java.time.Duration;
import java.util.Map;

/** {@code /} (banner), {@code /health} (process alive), {@code /ready} (hive answers). */
final class StatusRoutes {
  private static final Duration READY_WITHIN = Duration.ofSeconds(2);
  private final Hive hive;
  private final String version;

  StatusRoutes(Hive hive, String version) {
    this.hive = hive;
    this.version = version;
  }

  Route route(String requestId) {
    return concat(
        pathEndOrSingleSlash(() -> get(() -> complete(HttpResponse.create().withEntity(
            ContentTypes.TEXT_PLAIN_UTF8, "Agent Hive " + version + "\n")))),
        path("health", () -> get(() ->
            complete(Responses.json(StatusCodes.OK, Map.of("status", "ok"))))),
        path("ready", () -> get(() -> completeWithFuture(hive.ready(READY_WITHIN).handle(
            (queue, error) -> error == null
                ? Responses.json(StatusCodes.OK, Map.of("status", "ready"))
                : ErrorHandling.response(StatusCodes.SERVICE_UNAVAILABLE, "not_ready",
                    "the journal or the task board did not answer within " + READY_WITHIN,
                    java.util.List.of(), requestId, 2))))));
  }
}
