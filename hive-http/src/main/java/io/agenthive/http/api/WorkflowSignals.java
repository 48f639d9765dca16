package io.agenthive.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.access.Principal;
import io.agenthive.common.HiveException;
import io.agenthive.hive.Hive;
import io.agenthive.http.json.ApiError;
import io.agenthive.workflow.Workflow;
import io.agenthive.workflow.WorkflowNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/** A workflow's signal, handed to each of its steps that waits for it. */
final class WorkflowSignals {
  private WorkflowSignals() {}

  /** {@code signalled}: the steps' task ids that took the signal. */
  record Sent(String workflowId, String signal, List<String> signalled) {}

  static CompletionStage<Sent> send(
      Hive hive, String workflowId, String name, JsonNode payload, Principal by) {
    return hive.workflows()
        .get(workflowId)
        .thenCompose(
            found -> {
              Workflow w =
                  found.orElseThrow(
                      () -> ApiError.notFound("workflow " + workflowId + " not found"));
              List<WorkflowNode> waiting = new ArrayList<>();
              for (WorkflowNode n : w.nodes()) {
                var g = n.spec().gate();
                if (g != null && g.waitFor() != null && name.equals(g.waitFor().signal())) {
                  waiting.add(n);
                }
              }
              if (waiting.isEmpty()) {
                throw ApiError.notFound(
                    "no step of workflow " + workflowId + " waits for the signal '" + name + "'");
              }
              return each(hive, waiting, name, payload, by, workflowId);
            });
  }

  private static CompletionStage<Sent> each(
      Hive hive,
      List<WorkflowNode> steps,
      String name,
      JsonNode payload,
      Principal by,
      String workflowId) {
    List<CompletableFuture<String>> sent = new ArrayList<>();
    List<Throwable> refused = new ArrayList<>();
    for (WorkflowNode n : steps) {
      sent.add(
          hive.tasks()
              .signal(n.taskId(), name, payload, by)
              .handle(
                  (t, error) -> {
                    if (error != null) {
                      synchronized (refused) {
                        refused.add(error);
                      }
                      return null;
                    }
                    return t.id();
                  })
              .toCompletableFuture());
    }
    return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
        .thenApply(
            done -> {
              List<String> ids =
                  sent.stream().map(CompletableFuture::join).filter(id -> id != null).toList();
              if (ids.isEmpty()) {
                Throwable first = refused.get(0);
                Throwable cause = first instanceof CompletionException ? first.getCause() : first;
                throw cause instanceof HiveException h ? h : new CompletionException(cause);
              }
              return new Sent(workflowId, name, ids);
            });
  }
}
