package io.agenthive.http.api;

import static akka.http.javadsl.server.Directives.*;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.model.HttpMethods;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.Allow;
import akka.http.javadsl.server.Route;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.access.Principal;
import io.agenthive.common.FieldError;
import io.agenthive.common.HiveException;
import io.agenthive.hive.Hive;
import io.agenthive.http.guard.Guard;
import io.agenthive.http.guard.HttpSettings;
import io.agenthive.http.json.ApiError;
import io.agenthive.http.json.JsonBody;
import io.agenthive.http.json.Responses;
import io.agenthive.task.Task;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * {@code POST /api/tasks/bulk}: {@code {"action": "cancel" | "retry", "ids": [...]}}, one request
 * for a selection; each task is cancelled or retried as by its own route, a few at a time, and each
 * outcome is reported (one refused task does not fail the others). At most {@link #MAX_IDS} ids.
 */
public final class BulkTaskRoutes {
  static final int MAX_IDS = 500;
  private static final int PARALLELISM = 8;

  private final Hive hive;
  private final HttpSettings settings;
  private final ActorSystem<?> system;
  private final Subtasks subtasks;

  BulkTaskRoutes(Hive hive, HttpSettings settings, Subtasks subtasks) {
    this.hive = hive;
    this.settings = settings;
    this.subtasks = subtasks;
    this.system = hive.system();
  }

  /** One task's outcome: its status after, or why it was refused (the code its route gives). */
  record Outcome(String id, boolean ok, String status, String error, String message) {}

  record BulkResult(String action, int succeeded, int failed, List<Outcome> results) {}

  private record Request(String action, List<String> ids) {}

  /** Matched inside {@code /api/tasks}. */
  public Route route(String requestId) {
    return path(
        "bulk",
        () ->
            concat(
                post(() -> bulk(requestId)),
                // "bulk" is not a task id: other methods are refused here
                complete(
                    HttpResponse.create()
                        .withStatus(StatusCodes.METHOD_NOT_ALLOWED)
                        .addHeader(Allow.create(HttpMethods.POST)))));
  }

  private Route bulk(String requestId) {
    return Guard.principal(
        by ->
            JsonBody.json(
                settings.maxBodyBytes(),
                body ->
                    Responses.async(
                        requestId, run(parse(body), by), r -> Responses.json(StatusCodes.OK, r))));
  }

  private CompletionStage<BulkResult> run(Request request, Principal by) {
    return Source.from(request.ids())
        .mapAsync(PARALLELISM, id -> one(request.action(), id, by))
        .runWith(Sink.seq(), system)
        .thenApply(
            results -> {
              if (request.action().equals("cancel")) {
                cancelSubtasks(results, by);
              }
              int ok = (int) results.stream().filter(Outcome::ok).count();
              return new BulkResult(request.action(), ok, results.size() - ok, results);
            });
  }

  /**
   * As a task's own cancel does: its subtasks, down the tree, after the answer. Only once every
   * selected task has its outcome (a selection holding a parent and its subtask reports each
   * subtask's own cancel, not a race with the parent's cascade), and one tree at a time.
   */
  private void cancelSubtasks(List<Outcome> results, Principal by) {
    CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
    for (Outcome o : results) {
      if (o.ok()) {
        chain = chain.thenCompose(done -> subtasks.cancelTree(o.id(), by));
      }
    }
  }

  private CompletionStage<Outcome> one(String action, String id, Principal by) {
    CompletionStage<Task> done =
        action.equals("cancel") ? hive.tasks().cancel(id, by) : hive.tasks().retry(id, by);
    return done.handle(
            (task, failure) -> {
              if (failure == null) {
                return CompletableFuture.completedFuture(
                    new Outcome(id, true, task.status().label(), null, null));
              }
              Throwable cause =
                  failure instanceof CompletionException ? failure.getCause() : failure;
              if (cause instanceof HiveException refused) {
                ApiError e = ApiError.from(refused);
                return CompletableFuture.completedFuture(
                    new Outcome(id, false, null, e.code(), e.getMessage()));
              }
              // not a refusal (a timeout, the hub stopping): this id's outcome says so, and the
              // outcomes already applied to the others are still reported
              return CompletableFuture.completedFuture(
                  new Outcome(
                      id,
                      false,
                      null,
                      "unavailable",
                      "not done: "
                          + cause.getClass().getSimpleName()
                          + "; the task is as it was, or as this action left it: read it and retry"));
            })
        .thenCompose(stage -> stage);
  }

  private static Request parse(JsonNode body) {
    List<FieldError> errors = new ArrayList<>();
    String action = body.path("action").asText("");
    if (!action.equals("cancel") && !action.equals("retry")) {
      errors.add(new FieldError("action", "must be cancel or retry"));
    }
    JsonNode ids = body.path("ids");
    Set<String> unique = new LinkedHashSet<>();
    if (!ids.isArray() || ids.isEmpty()) {
      errors.add(new FieldError("ids", "must be a list of 1 to " + MAX_IDS + " task ids"));
    } else if (ids.size() > MAX_IDS) {
      errors.add(new FieldError("ids", "must hold at most " + MAX_IDS + " task ids"));
    } else {
      for (JsonNode id : ids) {
        if (!id.isTextual() || id.asText().isBlank() || id.asText().length() > 64) {
          errors.add(new FieldError("ids", "must hold task ids (strings of 1 to 64 characters)"));
          break;
        }
        unique.add(id.asText());
      }
    }
    if (!errors.isEmpty()) {
      throw ApiError.invalid(errors);
    }
    return new Request(action, List.copyOf(unique));
  }
}
