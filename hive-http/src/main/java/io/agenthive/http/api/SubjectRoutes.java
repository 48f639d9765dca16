package io.agenthive.http.api;

import static akka.http.javadsl.server.Directives.*;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import io.agenthive.blob.BlobStores;
import io.agenthive.common.FieldError;
import io.agenthive.hive.Hive;
import io.agenthive.http.guard.Guard;
import io.agenthive.http.json.ApiError;
import io.agenthive.http.json.Responses;
import io.agenthive.persistence.HiveEventFeed;
import io.agenthive.persistence.readside.ReadSide;
import io.agenthive.persistence.readside.SubjectRows;
import io.agenthive.persistence.readside.TaskViewQueries;
import io.agenthive.subject.SubjectEntity;
import io.agenthive.subject.SubjectId;
import io.agenthive.subject.SubjectKeys;
import io.agenthive.subject.Subjects;
import io.agenthive.task.TaskEntity;
import io.agenthive.task.TaskProtocol;
import io.agenthive.task.TaskSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Erasure by crypto-shredding (admin): {@code DELETE /api/subjects/{id}} destroys the subject's key
 * (journaled by its {@link SubjectEntity}), waits for the read model to meet the erasure (it scrubs
 * the subject's rows), deletes their stored outputs and makes their entities leave memory on every
 * node, so every way of reading them (API, event feed, export, time travel) finds {@code
 * "[erased]"}. Also the check that refuses a new task for a subject that was erased.
 */
public final class SubjectRoutes {
  private final ActorSystem<?> system;
  private final TaskViewQueries view;
  private final ReadSide readSide;
  private final HiveEventFeed feed;
  private final SubjectKeys keys;
  private final Executor blocking;
  private final Duration askTimeout;
  private static final Duration CATCH_UP = Duration.ofSeconds(30);

  /** The answer: {@code erasedNow} is false when it had been erased before. */
  record ErasedJson(
      String subject, Instant erasedAt, boolean erasedNow, int tasks, int outputsDeleted) {}

  public SubjectRoutes(Hive hive, ReadSide readSide, HiveEventFeed feed) {
    this.system = hive.system();
    this.view = readSide.tasks();
    this.readSide = readSide;
    this.feed = feed;
    this.keys = Subjects.keys(system);
    this.blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
    this.askTimeout = hive.settings().askTimeout();
  }

  public Route route(String requestId) {
    return pathPrefix(
        "subjects",
        () ->
            path(
                PathMatchers.segment(),
                id -> delete(() -> Guard.principal(by -> erase(requestId, id, by.label())))));
  }

  private Route erase(String requestId, String subject, String by) {
    if (!SubjectId.valid(subject)) {
      throw ApiError.invalid(List.of(new FieldError("subject", SubjectId.RULE)));
    }
    CompletionStage<ErasedJson> done =
        ClusterSharding.get(system)
            .entityRefFor(SubjectEntity.TYPE_KEY, subject)
            .<SubjectEntity.Erased>askWithStatus(r -> new SubjectEntity.Erase(by, r), askTimeout)
            .thenCompose(erased -> caughtUp().thenApply(ok -> erased))
            .thenCompose(
                erased -> view.subjectTasks(subject).thenCompose(rows -> forget(erased, rows)));
    return Responses.async(requestId, done, json -> Responses.json(StatusCodes.OK, json));
  }

  /**
   * Waits until the read side has met every event journaled so far (the erasure among them, and
   * every task of the subject), so the rows found next are all of the subject's tasks.
   */
  private CompletionStage<Boolean> caughtUp() {
    return feed.latestOffset()
        .thenCompose(offset -> readSide.applied(offset, CATCH_UP))
        .thenApply(
            done -> {
              if (!done) {
                throw new ApiError(
                    StatusCodes.SERVICE_UNAVAILABLE,
                    "read_side_behind",
                    "the subject's key is destroyed, but the read side is behind: repeat the"
                        + " request to finish the erasure",
                    List.of(),
                    5);
              }
              return done;
            });
  }

  /**
   * Each task is told to leave memory wherever it lives (one not in memory starts, reads its
   * journal as erased, and leaves), and its stored outputs are deleted; answered once they are.
   */
  private CompletionStage<ErasedJson> forget(
      SubjectEntity.Erased erased, List<SubjectRows.SubjectTask> rows) {
    ClusterSharding sharding = ClusterSharding.get(system);
    List<CompletableFuture<?>> deletes = new java.util.ArrayList<>();
    for (SubjectRows.SubjectTask row : rows) {
      sharding.entityRefFor(TaskEntity.TYPE_KEY, row.taskId()).tell(TaskProtocol.Forget.INSTANCE);
      for (String blob : row.blobs()) {
        deletes.add(BlobStores.get(system).delete(blob).toCompletableFuture());
      }
    }
    return CompletableFuture.allOf(deletes.toArray(CompletableFuture[]::new))
        .thenApply(
            done ->
                new ErasedJson(
                    erased.subject(), erased.at(), erased.now(), rows.size(), deletes.size()));
  }

  /** {@code spec}, unless it names a subject that was erased: then a 400 naming the field. */
  CompletionStage<TaskSpec> admitted(TaskSpec spec) {
    if (spec.subject() == null) {
      return CompletableFuture.completedFuture(spec);
    }
    return CompletableFuture.supplyAsync(() -> keys.erasedAt(spec.subject()), blocking)
        .thenApply(
            at -> {
              if (at.isPresent()) {
                throw ApiError.invalid(
                    List.of(
                        new FieldError(
                            "subject",
                            "was erased at " + at.get() + ": its data can no longer be written")));
              }
              return spec;
            });
  }
}
