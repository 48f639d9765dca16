package io.agenthive.http.api;

import static akka.http.javadsl.server.Directives.*;
import static akka.http.javadsl.server.PathMatchers.segment;

import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import io.agenthive.access.Principal;
import io.agenthive.hive.Hive;
import io.agenthive.hive.Tasks;
import io.agenthive.http.guard.Guard;
import io.agenthive.http.guard.HttpSettings;
import io.agenthive.http.json.ApiError;
import io.agenthive.http.json.JsonBody;
import io.agenthive.http.json.Responses;
import io.agenthive.persistence.readside.ListSort;
import io.agenthive.persistence.readside.TaskViewQueries;
import io.agenthive.tracing.Traceparent;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /api/tasks}: submit (idempotent with a key), list with filters, search and paging both
 * ways, read one, cancel, retry a failed one, cancel or retry a selection ({@link BulkTaskRoutes}).
 */
public final class TaskRoutes {
  private final Hive hive;
  private final HttpSettings settings;

  private final TaskViewQueries view;
  private final BulkTaskRoutes bulk;
  private final ApprovalRoutes approvals;
  private final SubjectRoutes subjects;
  private final Subtasks subtasks;

  public TaskRoutes(
      Hive hive,
      HttpSettings settings,
      TaskViewQueries view,
      ApprovalRoutes approvals,
      SubjectRoutes subjects) {
    this.hive = hive;
    this.subjects = subjects;
    this.settings = settings;
    this.view = view;
    this.subtasks = new Subtasks(hive, view);
    this.bulk = new BulkTaskRoutes(hive, settings, subtasks);
    this.approvals = approvals;
  }

  private Route list(String requestId, Map<String, String> params) {
    Paging paging = Paging.from(params, settings, TaskListing.FILTERS);
    TaskViewQueries.Filter filter = TaskListing.filter(params);
    return Responses.async(
        requestId,
        view.listedPage(filter, paging.window(params, ListSort.TASKS)),
        TaskListing::response);
  }

  public Route route(String requestId) {
    return pathPrefix(
        "tasks",
        () ->
            concat(
                pathEnd(
                    () ->
                        concat(
                            post(() -> submit(requestId)),
                            get(() -> parameterMap(params -> list(requestId, params))))),
                bulk.route(requestId),
                pathPrefix(segment(), id -> one(requestId, id))));
  }

  /** {@code /api/tasks/{id}}: read it, cancel it, retry it, its subtasks, decide it, signal it. */
  private Route one(String requestId, String id) {
    return concat(
        pathEnd(() -> get(() -> read(requestId, id))),
        path("cancel", () -> post(() -> cancel(requestId, id))),
        path("retry", () -> post(() -> retry(requestId, id))),
        path("children", () -> get(() -> subtasks.children(requestId, id))),
        path("decision", () -> post(() -> approvals.decide(requestId, id))),
        pathPrefix(
            "signals",
            () -> path(segment(), name -> post(() -> approvals.signal(requestId, id, name)))));
  }

  /**
   * {@code POST /api/tasks}: the same key again answers the task it made (200) instead of a new one
   * (201); the caller's traceparent becomes the task span's parent.
   */
  private Route submit(String requestId) {
    return optionalHeaderValueByName(
        "Idempotency-Key",
        key ->
            optionalHeaderValueByName(
                Traceparent.HEADER,
                traceparent -> Guard.principal(by -> submitAs(requestId, key, traceparent, by))));
  }

  private Route submitAs(
      String requestId, Optional<String> key, Optional<String> traceparent, Principal by) {
    return JsonBody.json(
        settings.maxBodyBytes(),
        body ->
            Responses.async(
                requestId,
                subtasks
                    .placed(TaskRequest.parseTask(body, key.orElse(null)))
                    .thenCompose(subjects::admitted)
                    .thenCompose(
                        spec -> hive.tasks().submit(spec, by, traceparent.orElse(null), null)),
                TaskRoutes::submitted));
  }

  /** 201 with its Location for a new task, 200 for the task a repeated key made before. */
  static HttpResponse submitted(Tasks.Submission s) {
    return s.created()
        ? Responses.created("/api/tasks/" + s.task().id(), Views.task(s.task()))
        : Responses.json(StatusCodes.OK, Views.task(s.task()));
  }

  private Route read(String requestId, String id) {
    return Responses.async(
        requestId, withWaitingReason(id), view -> Responses.json(StatusCodes.OK, view));
  }

  private Route cancel(String requestId, String id) {
    return Guard.principal(
        by ->
            Responses.async(
                requestId,
                hive.tasks()
                    .cancel(id, by)
                    // then its subtasks, down the tree, after the answer
                    .whenComplete(
                        (t, e) -> {
                          if (e == null) {
                            subtasks.cancelTree(id, by);
                          }
                        }),
                t -> Responses.json(StatusCodes.OK, Views.task(t))));
  }

  private Route retry(String requestId, String id) {
    return Guard.principal(
        by ->
            Responses.async(
                requestId,
                hive.tasks().retry(id, by),
                t -> Responses.json(StatusCodes.OK, Views.task(t))));
  }

  /** The task, with why it waits when it is pending (one more question, to the matcher). */
  private java.util.concurrent.CompletionStage<Views.TaskJson> withWaitingReason(String id) {
    return hive.tasks()
        .get(id)
        .thenCompose(
            found -> {
              io.agenthive.task.Task t =
                  found.orElseThrow(() -> ApiError.notFound("task " + id + " not found"));
              if (t.status() != io.agenthive.task.TaskStatus.PENDING) {
                return java.util.concurrent.CompletableFuture.completedFuture(Views.task(t));
              }
              return hive.tasks()
                  .whyWaiting(id)
                  .thenApply(reason -> Views.task(t, reason.orElse(null)));
            });
  }
}
