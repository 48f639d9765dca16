package io.agenthive.http.api;

import io.agenthive.hive.Hive;
import io.agenthive.http.guard.HttpSettings;
import io.agenthive.persistence.readside.TaskViewQueries;
import io.agenthive.persistence.readside.WorkflowListing;
import io.agenthive.workflow.Workflow;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /api/workflows}: the workflows newest first, each with its name, status and steps by
 * status. Which workflows, and their steps' statuses, come from the task view table (two queries);
 * name and status from each workflow's entity. An entity that has ended passivates, so asking it
 * again would start it (and write its remember-entities rows) on every listing: what an ended
 * workflow says never changes, so the last {@link #ENDED_KEPT} of them are kept here and asked once
 * per node.
 */
final class WorkflowList {
  static final int MAX_LIMIT = 100;
  private static final int ENDED_KEPT = 10_000;
  private final Hive hive;
  private final TaskViewQueries view;
  private final Map<String, Summary> ended =
      Collections.synchronizedMap(
          new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Summary> eldest) {
              return size() > ENDED_KEPT;
            }
          });

  /** One listed workflow; {@code counts} adds "submitting" for steps the table has no row for. */
  record Summary(
      String id,
      String name,
      String status,
      Instant createdAt,
      String createdBy,
      Instant endedAt,
      int steps,
      Map<String, Integer> counts) {

    static Summary of(Workflow w) {
      return new Summary(
          w.id(),
          w.name(),
          w.status(),
          w.createdAt(),
          w.by(),
          w.endedAt(),
          w.nodes().size(),
          Map.of());
    }

    static Summary unknown(WorkflowListing.Steps steps) {
      return new Summary(
          steps.workflowId(),
          null,
          "unknown",
          null,
          null,
          null,
          total(steps.counts()),
          steps.counts());
    }

    Summary withCounts(Map<String, Integer> table) {
      Map<String, Integer> all = new TreeMap<>(table);
      int known = total(table);
      if (known < steps) {
        all.put("submitting", steps - known);
      }
      return new Summary(id, name, status, createdAt, createdBy, endedAt, steps, all);
    }

    private static int total(Map<String, Integer> counts) {
      return counts.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  WorkflowList(Hive hive, TaskViewQueries view) {
    this.hive = hive;
    this.view = view;
  }

  /** {@code limit} (1 to {@link #MAX_LIMIT}: each listed workflow is asked) and {@code cursor}. */
  static Paging paging(Map<String, String> params, HttpSettings settings) {
    return Paging.from(params, settings, List.of(), MAX_LIMIT);
  }

  CompletionStage<Views.Page<Summary>> page(Paging paging) {
    return view.workflows(paging.cursor(), paging.limit())
        .thenCompose(
            page -> {
              Map<String, WorkflowListing.Steps> byId = new LinkedHashMap<>();
              page.workflows().forEach(s -> byId.put(s.workflowId(), s));
              return Paging.load(
                      hive.system(), List.copyOf(byId.keySet()), id -> summary(byId.get(id)))
                  .thenApply(listed -> new Views.Page<>(listed, page.nextCursor()));
            });
  }

  /**
   * One workflow's line. A workflow that does not answer in time (its shard moving, say) is listed
   * as {@code unknown} with what the table knows, rather than failing the whole page.
   */
  private CompletionStage<Optional<Summary>> summary(WorkflowListing.Steps steps) {
    Summary known = ended.get(steps.workflowId());
    if (known != null) {
      return CompletableFuture.completedFuture(Optional.of(known.withCounts(steps.counts())));
    }
    return hive.workflows()
        .get(steps.workflowId())
        .handle(
            (found, error) -> {
              if (error != null) {
                return Optional.of(Summary.unknown(steps));
              }
              return found.map(
                  w -> {
                    Summary s = Summary.of(w);
                    if (w.endedAs() != null) {
                      ended.put(w.id(), s);
                    }
                    return s.withCounts(steps.counts());
                  });
            });
  }
}
