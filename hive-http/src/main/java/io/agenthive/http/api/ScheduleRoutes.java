package io.agenthive.http.api;

import static akka.http.javadsl.server.Directives.*;
import static akka.http.javadsl.server.PathMatchers.segment;

import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import io.agenthive.hive.Hive;
import io.agenthive.http.guard.Guard;
import io.agenthive.http.guard.HttpSettings;
import io.agenthive.http.json.JsonBody;
import io.agenthive.http.json.Responses;
import io.agenthive.schedule.Schedules;
import java.time.Instant;
import java.util.Map;

/**
 * {@code /api/schedules}: create (POST), list with each one's next five fire times, read one with
 * its history, change (PATCH: the fields given replace the schedule's), delete, pause, resume, and
 * trigger a manual slot now. Who may call which is the role table's (operator changes, viewer
 * reads).
 */
public final class ScheduleRoutes {
  private final Schedules schedules;
  private final HttpSettings settings;

  public ScheduleRoutes(Hive hive, HttpSettings settings) {
    this.schedules = hive.schedules();
    this.settings = settings;
  }

  public Route route(String requestId) {
    return pathPrefix(
        "schedules",
        () ->
            concat(
                pathEnd(() -> concat(get(() -> list(requestId)), post(() -> create(requestId)))),
                pathPrefix(
                    segment(),
                    name ->
                        concat(
                            pathEnd(
                                () ->
                                    concat(
                                        get(() -> read(requestId, name)),
                                        patch(() -> update(requestId, name)),
                                        delete(() -> remove(requestId, name)))),
                            path("history", () -> get(() -> history(requestId, name))),
                            path("pause", () -> post(() -> pause(requestId, name))),
                            path("resume", () -> post(() -> resume(requestId, name))),
                            path("trigger", () -> post(() -> trigger(requestId, name)))))));
  }

  private Route list(String requestId) {
    return Responses.async(
        requestId,
        schedules.list(),
        all -> Responses.json(StatusCodes.OK, ScheduleViews.page(all, Instant.now())));
  }

  private Route create(String requestId) {
    return Guard.principal(
        by ->
            JsonBody.json(
                settings.maxBodyBytes(),
                body ->
                    Responses.async(
                        requestId,
                        schedules.create(ScheduleRequest.parse(body), by),
                        e ->
                            Responses.created(
                                "/api/schedules/" + e.spec().name(),
                                ScheduleViews.of(e, true, Instant.now())))));
  }

  private Route read(String requestId, String name) {
    return Responses.async(
        requestId,
        schedules.get(name),
        e -> Responses.json(StatusCodes.OK, ScheduleViews.of(e, true, Instant.now())));
  }

  private Route history(String requestId, String name) {
    return Responses.async(
        requestId,
        schedules.get(name),
        e -> Responses.json(StatusCodes.OK, new ScheduleViews.History(name, e.history())));
  }

  private Route update(String requestId, String name) {
    return Guard.principal(
        by ->
            JsonBody.json(
                settings.maxBodyBytes(),
                patch ->
                    Responses.async(
                        requestId,
                        schedules
                            .get(name)
                            .thenCompose(
                                current ->
                                    schedules.update(
                                        ScheduleRequest.merge(
                                            ScheduleViews.requestForm(current), patch, name),
                                        by)),
                        e ->
                            Responses.json(
                                StatusCodes.OK, ScheduleViews.of(e, true, Instant.now())))));
  }

  private Route remove(String requestId, String name) {
    return Guard.principal(
        by ->
            Responses.async(
                requestId,
                schedules.delete(name, by),
                removed -> Responses.json(StatusCodes.OK, Map.of("removed", removed))));
  }

  private Route pause(String requestId, String name) {
    return Guard.principal(
        by ->
            Responses.async(
                requestId,
                schedules.pause(name, by),
                e -> Responses.json(StatusCodes.OK, ScheduleViews.of(e, false, Instant.now()))));
  }

  private Route resume(String requestId, String name) {
    return Guard.principal(
        by ->
            Responses.async(
                requestId,
                schedules.resume(name, by),
                e -> Responses.json(StatusCodes.OK, ScheduleViews.of(e, false, Instant.now()))));
  }

  /** A manual slot now: 201 with the slot and the task it made. */
  private Route trigger(String requestId, String name) {
    return Guard.principal(
        by ->
            Responses.async(
                requestId,
                schedules.trigger(name, by),
                slot -> Responses.created("/api/tasks/" + slot.taskId(), slot)));
  }
}
