package io.agenthive.http;

import static akka.http.javadsl.server.Directives.*;
import static akka.http.javadsl.server.PathMatchers.segment;

import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import io.agenthive.hive.Hive;

/** {@code /api/tasks}: submit (idempotent with a key), read one, cancel. */
final class TaskRoutes {
  private final Hive hive;
  private final HttpSettings settings;

  TaskRoutes(Hive hive, HttpSettings settings) {
    this.hive = hive;
    this.settings = settings;
  }

  Route route(String requestId) {
    return pathPrefix("tasks", () -> concat(
        pathEnd(() -> post(() -> optionalHeaderValueByName("Idempotency-Key", key ->
            JsonBody.json(settings.maxBodyBytes(), body -> Responses.async(requestId,
                hive.submit(TaskRequest.parse(body, key.orElse(null))),
                s -> s.created()
                    ? Responses.created("/api/tasks/" + s.task().id(), Views.task(s.task()))
                    : Responses.json(StatusCodes.OK, Views.task(s.task()))))))),
        pathPrefix(segment(), id -> concat(
            pathEnd(() -> get(() -> Responses.async(requestId, hive.task(id), found -> found
                .map(t -> Responses.json(StatusCodes.OK, Views.task(t)))
                .orElseThrow(() -> ApiError.notFound("task " + id + " not found"))))),
            path("cancel", () -> post(() -> Responses.async(requestId, hive.cancelTask(id),
                t -> Responses.json(StatusCodes.OK, Views.task(t)))))))));
  }
}
