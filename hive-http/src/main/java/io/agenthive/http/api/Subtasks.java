package io.agenthive.http.api;

import static akka.http.javadsl.server.Directives.*;

import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import com.typesafe.config.Config;
import io.agenthive.access.Principal;
import io.agenthive.common.FieldError;
import io.agenthive.hive.Hive;
import io.agenthive.http.json.ApiError;
import io.agenthive.http.json.Responses;
import io.agenthive.persistence.readside.TaskViewQueries;
import io.agenthive.task.Dependencies;
import io.agenthive.task.Task;
import io.agenthive.task.TaskSpec;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Subtasks: a task submitted with {@code parent_id} sits in its parent's tree. At submission the
 * parent must exist and not have ended, the tree may not grow deeper than {@code
 * hive.delegation.max-depth}, and a parent may have at most {@code hive.delegation.max-children}
 * (counted from the read tables, so submissions faster than the tables follow may pass it; an
 * agent's loop is bounded by its steps and calls per step). {@code GET /api/tasks/{id}/children}
 * lists them; cancelling a task cancels its subtasks that have not ended, down the tree.
 */
final class Subtasks {
  private static final Logger log = LoggerFactory.getLogger(Subtasks.class);

  /** Children listed per page of {@code /children}. */
  private static final int LISTED = 100;

  /** Children of one parent a cancel reaches. */
  private static final int CANCELLED_PER_PARENT = 1_000;

  private final Hive hive;
  private final TaskViewQueries view;
  private final int maxDepth;
  private final int maxChildren;

  Subtasks(Hive hive, TaskViewQueries view) {
    this.hive = hive;
    this.view = view;
    Config c = hive.system().settings().config().getConfig("hive.delegation");
    this.maxDepth = c.getInt("max-depth");
    this.maxChildren = c.getInt("max-children");
  }

  /** {@code spec} with its place in its parent's tree, or a 400 naming {@code parent_id}. */
  CompletionStage<TaskSpec> placed(TaskSpec spec) {
    Dependencies d = spec.dependencies();
    if (d == null || d.parentId() == null) {
      return CompletableFuture.completedFuture(spec);
    }
    String parentId = d.parentId();
    return hive.tasks()
        .get(parentId)
        .thenCompose(
            found -> {
              Task parent = found.orElseThrow(() -> refused("there is no task " + parentId));
              if (parent.status().isTerminal()) {
                throw refused(
                    "task "
                        + parentId
                        + " has ended ("
                        + parent.status().label()
                        + "): only a task that has not may get subtasks");
              }
              Dependencies up = parent.spec() == null ? null : parent.spec().dependencies();
              int depth = (up == null ? 0 : up.depth()) + 1;
              if (depth > maxDepth) {
                throw refused(
                    "a subtask of "
                        + parentId
                        + " would be at depth "
                        + depth
                        + ", deeper than hive.delegation.max-depth ("
                        + maxDepth
                        + ")");
              }
              return view.children(parentId, 0)
                  .thenApply(
                      c -> {
                        if (c.total() >= maxChildren) {
                          throw refused(
                              "task "
                                  + parentId
                                  + " already has "
                                  + c.total()
                                  + " subtasks, the most hive.delegation.max-children allows");
                        }
                        TaskSpec placed = spec.withDependencies(d.withParent(parentId, depth));
                        // work handed down holds the same person's data: it names their subject
                        String subject = parent.spec().subject();
                        return placed.subject() == null && subject != null
                            ? placed.withSubject(subject)
                            : placed;
                      });
            });
  }

  private static ApiError refused(String why) {
    return ApiError.invalid(List.of(new FieldError("parent_id", why)));
  }

  /** What {@code GET /api/tasks/{id}/children} answers: the first subtasks and how many. */
  record ChildrenJson(String parentId, List<Views.TaskJson> items, long total) {}

  Route children(String requestId, String id) {
    return Responses.async(
        requestId,
        view.children(id, LISTED)
            .thenApply(
                c -> new ChildrenJson(id, c.tasks().stream().map(Views::task).toList(), c.total())),
        page -> Responses.json(StatusCodes.OK, page));
  }

  /**
   * Cancels the subtasks of {@code id} that have not ended, then theirs, down the tree; each as
   * {@code by}. A subtask that ends meanwhile refuses the cancel, which is fine. Runs after the
   * parent's own cancel has answered: a crash before it ends leaves the rest running (they are
   * listed under their parent, and can be cancelled again).
   */
  CompletionStage<Void> cancelTree(String id, Principal by) {
    return cancelTree(id, by, maxDepth);
  }

  private CompletionStage<Void> cancelTree(String id, Principal by, int depthLeft) {
    if (depthLeft <= 0) {
      return CompletableFuture.completedFuture(null);
    }
    // every child listed, not only max-children: a burst may have passed that bound
    return view.children(id, CANCELLED_PER_PARENT)
        .thenCompose(
            c -> {
              CompletableFuture<?>[] each =
                  c.tasks().stream()
                      .map(
                          child ->
                              (child.status().isTerminal()
                                      ? CompletableFuture.<Object>completedFuture(null)
                                      : hive.tasks()
                                          .cancel(child.id(), by)
                                          .handle((t, e) -> (Object) null))
                                  .thenCompose(done -> cancelTree(child.id(), by, depthLeft - 1))
                                  .toCompletableFuture())
                      .toArray(CompletableFuture[]::new);
              return CompletableFuture.allOf(each);
            })
        .exceptionally(
            e -> {
              log.warn("cancelling the subtasks of {} stopped: {}", id, e.toString());
              return null;
            });
  }
}
