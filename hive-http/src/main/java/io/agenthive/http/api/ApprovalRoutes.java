package io.agenthive.http.api;

import static akka.http.javadsl.server.Directives.*;

import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.access.Principal;
import io.agenthive.common.FieldError;
import io.agenthive.common.HiveLimits;
import io.agenthive.common.JsonSize;
import io.agenthive.hive.Hive;
import io.agenthive.http.guard.Guard;
import io.agenthive.http.guard.HttpSettings;
import io.agenthive.http.json.ApiError;
import io.agenthive.http.json.JsonBody;
import io.agenthive.http.json.JsonFields;
import io.agenthive.http.json.Responses;
import io.agenthive.persistence.readside.TaskViewQueries;
import io.agenthive.task.DependencyText;
import io.agenthive.task.Task;
import io.agenthive.task.TaskGate;
import io.agenthive.task.TaskStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * People in the loop: {@code GET /api/approvals} (the open ones, oldest first; {@code mine=true}:
 * only those the caller may decide), {@code POST /api/tasks/{id}/decision} ({@code {decision:
 * approve | reject, comment, output}}: 403 for a caller who is not an approver, 409 once decided)
 * and {@code POST /api/tasks/{id}/signals/{name}} (the body is the payload a waiting step ends
 * with). Open approvals are read from the read tables by status, so thousands of them cost the
 * matching path nothing.
 */
public final class ApprovalRoutes {
  /** The most open approvals one list reads; beyond it the answer says it was cut. */
  static final int MAX_LISTED = 500;

  static final int MAX_COMMENT = 2_000;

  /** At most this many prompts of one list are filled from their entities; the rest as written. */
  static final int MAX_RENDERED = 100;

  private static final Set<String> DECISION_FIELDS = Set.of("decision", "comment", "output");
  private final Hive hive;
  private final HttpSettings settings;
  private final TaskViewQueries view;

  public ApprovalRoutes(Hive hive, HttpSettings settings, TaskViewQueries view) {
    this.hive = hive;
    this.settings = settings;
    this.view = view;
  }

  /** {@code items}: the approvals listed; {@code truncated}: more are open than were read. */
  record ApprovalList(List<Views.TaskJson> items, int count, boolean truncated) {}

  public Route route(String requestId) {
    return path(
        "approvals",
        () ->
            get(() -> parameterMap(params -> Guard.principal(by -> list(requestId, params, by)))));
  }

  private Route list(String requestId, Map<String, String> params, Principal by) {
    String mine = params.getOrDefault("mine", "false");
    if (!mine.equals("true") && !mine.equals("false")) {
      throw ApiError.invalid(List.of(new FieldError("mine", "must be true or false")));
    }
    // mine: the read side filters by the caller's tokens, so the oldest others do not crowd it out
    CompletionStage<List<Task>> read =
        mine.equals("true")
            ? view.openApprovalsFor(TaskGate.Approval.tokensOf(by), MAX_LISTED + 1)
            : view.inStatus(TaskStatus.WAITING_FOR_APPROVAL, MAX_LISTED + 1);
    CompletionStage<ApprovalList> listed =
        read.thenCompose(
            open -> {
              boolean truncated = open.size() > MAX_LISTED;
              List<Task> shown = new ArrayList<>();
              for (Task t : open.subList(0, Math.min(open.size(), MAX_LISTED))) {
                if (mine.equals("false") || t.spec().gate().approval().allows(by)) {
                  shown.add(t);
                }
              }
              return rendered(shown)
                  .thenApply(views -> new ApprovalList(views, views.size(), truncated));
            });
    return Responses.async(requestId, listed, l -> Responses.json(StatusCodes.OK, l));
  }

  /**
   * The tables keep no dependency outputs, so an approval whose prompt names one is read from its
   * entity (at most one page of them).
   */
  private CompletionStage<List<Views.TaskJson>> rendered(List<Task> tasks) {
    List<CompletableFuture<Views.TaskJson>> each = new ArrayList<>();
    int asked = 0;
    for (Task t : tasks) {
      if (DependencyText.namesDependencies(t.spec().gate().approval().prompt())
          && asked++ < MAX_RENDERED) {
        each.add(
            hive.tasks()
                .get(t.id())
                .thenApply(found -> Views.task(found.orElse(t)))
                .toCompletableFuture());
      } else {
        each.add(CompletableFuture.completedFuture(Views.task(t)));
      }
    }
    return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
        .thenApply(done -> each.stream().map(CompletableFuture::join).toList());
  }

  /** {@code POST /api/tasks/{id}/decision}. */
  Route decide(String requestId, String id) {
    return Guard.principal(
        by ->
            JsonBody.json(
                settings.maxBodyBytes(),
                body -> {
                  JsonFields f = JsonFields.of(body);
                  f.rejectUnknown(DECISION_FIELDS);
                  String decision = f.string("decision");
                  if (!"approve".equals(decision) && !"reject".equals(decision)) {
                    f.error("decision", "must be approve or reject");
                  }
                  String comment = f.string("comment");
                  if (comment != null && comment.length() > MAX_COMMENT) {
                    f.error("comment", "must be at most " + MAX_COMMENT + " characters");
                  }
                  JsonNode output = f.raw("output");
                  tooLarge("output", output).ifPresent(e -> f.error(e.field(), e.message()));
                  if (!f.errors().isEmpty()) {
                    throw ApiError.invalid(f.errors());
                  }
                  return Responses.async(
                      requestId,
                      hive.tasks().decide(id, "approve".equals(decision), comment, output, by),
                      t -> Responses.json(StatusCodes.OK, Views.task(t)));
                }));
  }

  /** {@code POST /api/tasks/{id}/signals/{name}}: the body is the payload. */
  Route signal(String requestId, String id, String name) {
    return Guard.principal(
        by ->
            JsonBody.json(
                settings.maxBodyBytes(),
                payload -> {
                  // any JSON may be a payload: an object, an array, a string
                  tooLarge("payload", payload)
                      .ifPresent(
                          e -> {
                            throw ApiError.invalid(List.of(e));
                          });
                  return Responses.async(
                      requestId,
                      hive.tasks().signal(id, name, payload, by),
                      t -> Responses.json(StatusCodes.OK, Views.task(t)));
                }));
  }

  /**
   * A decision's output or a signal's payload becomes the step's output inside its event, so it is
   * held to what an event keeps inline ({@code hive.limits.inline-output}).
   */
  private java.util.Optional<FieldError> tooLarge(String field, JsonNode value) {
    long size = JsonSize.bytes(value);
    long limit = HiveLimits.get(hive.system()).inlineOutputBytes();
    return size <= limit
        ? java.util.Optional.empty()
        : java.util.Optional.of(
            new FieldError(
                field,
                "is "
                    + size
                    + " bytes of JSON; at most "
                    + limit
                    + " (hive.limits.inline-output)"));
  }
}
