package io.agenthive.http.api;

import static akka.http.javadsl.server.Directives.*;
import static akka.http.javadsl.server.PathMatchers.segment;

import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import io.agenthive.access.Principal;
import io.agenthive.hive.Hive;
import io.agenthive.http.guard.Guard;
import io.agenthive.http.guard.HttpSettings;
import io.agenthive.http.json.ApiError;
import io.agenthive.http.json.JsonBody;
import io.agenthive.http.json.Responses;
import io.agenthive.persistence.readside.TaskViewQueries;
import io.agenthive.task.Task;
import io.agenthive.workflow.Workflow;
import io.agenthive.workflow.WorkflowNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code /api/workflows}: submit a workflow (all its tasks or none), list them newest first ({@link
 * WorkflowList}), read one with its steps' statuses and critical path, cancel one. Step statuses
 * come from the read tables in one query; only steps the tables have not caught up with (just
 * submitted, or just ended in a workflow that has ended) are asked for directly, at most {@link
 * #ASK_AT_MOST}.
 */
public final class WorkflowRoutes {
  static final int ASK_AT_MOST = 100;
  private final Hive hive;
  private final HttpSettings settings;
  private final TaskViewQueries view;
  private final WorkflowList listing;
  private final Subtasks subtasks;

  public WorkflowRoutes(Hive hive, HttpSettings settings, TaskViewQueries view) {
    this.hive = hive;
    this.settings = settings;
    this.view = view;
    this.listing = new WorkflowList(hive, view);
    this.subtasks = new Subtasks(hive, view);
  }

  public Route route(String requestId) {
    return pathPrefix(
        "workflows",
        () ->
            concat(
                pathEnd(
                    () ->
                        concat(
                            post(() -> submit(requestId)),
                            get(() -> parameterMap(params -> list(requestId, params))))),
                pathPrefix(
                    segment(),
                    id ->
                        concat(
                            pathEnd(() -> get(() -> read(requestId, id))),
                            path("cancel", () -> post(() -> cancel(requestId, id))),
                            pathPrefix(
                                "signals",
                                () ->
                                    path(
                                        segment(),
                                        name -> post(() -> signal(requestId, id, name))))))));
  }

  /**
   * {@code POST /api/workflows/{id}/signals/{name}}: every step of the workflow that waits for
   * {@code name} gets it, the body as its payload. 404 when no step waits for that signal; 409 when
   * none of them is waiting now (not released yet, or ended).
   */
  private Route signal(String requestId, String id, String name) {
    return Guard.principal(
        by ->
            JsonBody.json(
                settings.maxBodyBytes(),
                payload ->
                    Responses.async(
                        requestId,
                        WorkflowSignals.send(hive, id, name, payload, by),
                        sent -> Responses.json(StatusCodes.OK, sent))));
  }

  private Route submit(String requestId) {
    return optionalHeaderValueByName(
        "Idempotency-Key",
        key ->
            Guard.principal(
                by ->
                    JsonBody.json(
                        settings.maxBodyBytes(),
                        body ->
                            Responses.async(
                                requestId,
                                hive.workflows()
                                    .submit(WorkflowRequest.parse(body, key.orElse(null)), by)
                                    .thenCompose(this::view),
                                w -> Responses.created("/api/workflows/" + w.id(), w)))));
  }

  private Route list(String requestId, Map<String, String> params) {
    Paging paging = WorkflowList.paging(params, settings);
    return Responses.async(
        requestId, listing.page(paging), page -> Responses.json(StatusCodes.OK, page));
  }

  private Route read(String requestId, String id) {
    return Responses.async(
        requestId,
        hive.workflows()
            .get(id)
            .thenCompose(
                found ->
                    view(
                        found.orElseThrow(
                            () -> ApiError.notFound("workflow " + id + " not found")))),
        w -> Responses.json(StatusCodes.OK, w));
  }

  private Route cancel(String requestId, String id) {
    return Guard.principal(
        by ->
            Responses.async(
                requestId,
                hive.workflows()
                    .cancel(id, by)
                    // the steps' subtasks too (an agent's step may have made some), down the tree;
                    // each step cancelled here first, as its own route does: the workflow only
                    // tells its steps, and a step still running could make a subtask after its
                    // children were listed
                    .whenComplete(
                        (w, e) -> {
                          if (e == null) {
                            w.nodes().forEach(n -> cancelStepTree(n.taskId(), by));
                          }
                        })
                    .thenCompose(this::view),
                w -> Responses.json(StatusCodes.OK, w)));
  }

  private void cancelStepTree(String stepId, Principal by) {
    hive.tasks()
        .cancel(stepId, by)
        // ended already, or cancelled by the workflow first: its tree is cancelled all the same
        .handle((t, refused) -> null)
        .thenCompose(done -> subtasks.cancelTree(stepId, by));
  }

  private CompletionStage<WorkflowView> view(Workflow w) {
    List<String> ids = w.nodes().stream().map(WorkflowNode::taskId).toList();
    return view.byIds(ids)
        .thenCompose(
            known -> {
              Map<String, Task> tasks = new HashMap<>();
              known.forEach(t -> tasks.put(t.id(), t));
              List<CompletableFuture<Void>> asks = new ArrayList<>();
              boolean ended = w.endedAs() != null;
              for (String id : ids) {
                Task seen = tasks.get(id);
                // the tables lag the tasks a little: a step they have not seen yet, or one of a
                // workflow that ended that they do not show ended, is asked for
                boolean stale = seen == null || ended && !seen.status().isTerminal();
                if (stale && asks.size() < ASK_AT_MOST) {
                  asks.add(
                      hive.tasks()
                          .get(id)
                          .thenAccept(t -> t.ifPresent(found -> put(tasks, found)))
                          .toCompletableFuture());
                }
              }
              return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new))
                  .thenApply(done -> WorkflowView.of(w, tasks, Instant.now()));
            });
  }

  private static synchronized void put(Map<String, Task> tasks, Task t) {
    tasks.put(t.id(), t);
  }
}
