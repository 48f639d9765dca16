package io.agenthive.http.api;

import static akka.http.javadsl.server.Directives.*;
import static akka.http.javadsl.server.PathMatchers.segment;

import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpMethods;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.RequestEntity;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.Allow;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.Route;
import akka.stream.ActorAttributes;
import akka.stream.javadsl.FileIO;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import io.agenthive.access.Principal;
import io.agenthive.blob.BlobStore;
import io.agenthive.blob.BlobStores;
import io.agenthive.dataset.DatasetBlobs;
import io.agenthive.dataset.DatasetSettings;
import io.agenthive.dataset.Datasets;
import io.agenthive.hive.Hive;
import io.agenthive.hive.Tasks;
import io.agenthive.http.guard.Guard;
import io.agenthive.http.json.ApiError;
import io.agenthive.http.json.Responses;
import io.agenthive.task.DatasetSpec;
import io.agenthive.task.Task;
import io.agenthive.task.TaskSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import scala.concurrent.duration.FiniteDuration;

/**
 * Dataset tasks over HTTP. {@code POST /api/tasks/upload} streams the body into the blob store (a
 * part at a time, never whole in the heap, bounded by {@code hive.http.uploads.max-size} and by the
 * store's total while it streams in) and submits the task once every byte is durable, so any node
 * can read it. {@code GET /api/tasks/{id}/result} streams the folded result back as NDJSON, however
 * large; once removed by the retention it is 410 Gone, saying when it expired.
 */
public final class DatasetRoutes {
  /** Parsed at the first result streamed, not at the hub's start (see MetricsRoutes.TextFormat). */
  private static final class Ndjson {
    static final ContentType TYPE = ContentTypes.parse("application/x-ndjson");
  }

  private final Hive hive;
  private final DatasetSettings datasets;
  private final BlobStore blobs;
  private final Executor io;
  private final long maxUploadBytes;
  private final FiniteDuration uploadTimeout;

  public DatasetRoutes(Hive hive) {
    this.hive = hive;
    this.datasets = hive.datasets();
    this.blobs = BlobStores.get(hive.system());
    this.io = Datasets.get(hive.system()).io();
    var config = hive.system().settings().config().getConfig("hive.http.uploads");
    this.maxUploadBytes = config.getMemorySize("max-size").toBytes();
    this.uploadTimeout =
        scala.concurrent.duration.Duration.fromNanos(config.getDuration("timeout").toNanos());
  }

  public Route route(String requestId) {
    return pathPrefix(
        "tasks",
        () ->
            concat(
                path(
                    "upload",
                    () ->
                        concat(
                            post(() -> upload(requestId)),
                            // "upload" is not a task id: other methods are refused here
                            complete(
                                HttpResponse.create()
                                    .withStatus(StatusCodes.METHOD_NOT_ALLOWED)
                                    .addHeader(Allow.create(HttpMethods.POST))))),
                path(segment().slash("result"), id -> get(() -> result(requestId, id)))));
  }

  /** Streamed in within its own (longer) timeout; the query carries the task's fields. */
  private Route upload(String requestId) {
    return withRequestTimeout(
        uploadTimeout, () -> parameterMultiMap(params -> upload(requestId, params)));
  }

  private Route upload(String requestId, Map<String, List<String>> params) {
    return optionalHeaderValueByName(
        "Idempotency-Key",
        key ->
            Guard.principal(
                by ->
                    extractRequestEntity(
                        entity ->
                            Responses.async(
                                requestId,
                                upload(params, entity, key.orElse(null), by),
                                TaskRoutes::submitted))));
  }

  private CompletionStage<Tasks.Submission> upload(
      Map<String, List<String>> params, RequestEntity entity, String key, Principal by) {
    String blobId = DatasetBlobs.newUploadId();
    // checked before a byte is stored, so a bad request does not cost a large upload
    TaskSpec spec =
        DatasetRequest.uploadTask(
            params, entity.getContentType().toString(), key, DatasetSpec.blobPath(blobId));
    // the task's id goes on the blob, so the retention finds the upload by its task
    String taskId = Tasks.idFor(spec, by);
    return entity
        .withSizeLimit(maxUploadBytes)
        .getDataBytes()
        .runWith(blobs.write(blobId, BlobStore.Kind.UPLOAD, taskId, maxUploadBytes), hive.system())
        .thenCompose(stored -> hive.tasks().submit(spec, by, null, taskId))
        .whenComplete(
            (s, error) -> {
              // refused, or the key named an earlier upload's task; kept when the task is this
              // upload's own (a try whose answer was lost journaled it: met again, 200), or may
              // be (no try answered: the retention removes it if its task never came to be)
              if (error != null
                  ? !(unwrap(error) instanceof TimeoutException)
                  : !s.created() && !isUploadOf(s, blobId)) {
                blobs.delete(blobId);
              }
            });
  }

  private static boolean isUploadOf(Tasks.Submission s, String blobId) {
    DatasetSpec dataset = s.task().spec().dataset();
    return dataset != null && DatasetSpec.blobPath(blobId).equals(dataset.path());
  }

  private Route result(String requestId, String id) {
    return Responses.async(
        requestId,
        hive.tasks()
            .get(id)
            .thenCompose(
                found ->
                    result(
                        found.orElseThrow(() -> ApiError.notFound("task " + id + " not found")))),
        response -> response);
  }

  private CompletionStage<HttpResponse> result(Task task) {
    if (task.spec() == null || !task.spec().hasDataset()) {
      return TaskOutputs.response(task, blobs);
    }
    if (expiredAt(task) != null) {
      // past its retention the result is gone, whether or not the sweep has removed it yet
      return CompletableFuture.supplyAsync(() -> withoutBlob(task), io);
    }
    // The first page is read before the status line goes out: a blob found missing after a 200
    // could only abort the connection, where now it is answered as what it has become.
    return blobs
        .read(DatasetBlobs.resultId(task.id()), 0, -1)
        .prefixAndTail(1)
        .runWith(Sink.head(), hive.system())
        .handle(
            (firstAndRest, failure) ->
                failure == null
                    ? CompletableFuture.completedFuture(
                        ndjson(
                            task, Source.from(firstAndRest.first()).concat(firstAndRest.second())))
                    : unwrap(failure) instanceof BlobStore.BlobMissing
                        // the old versions' result file is looked for on the I/O dispatcher
                        ? CompletableFuture.supplyAsync(() -> withoutBlob(task), io)
                        : CompletableFuture.<HttpResponse>failedFuture(unwrap(failure)))
        .thenCompose(response -> response);
  }

  private static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause()
        : failure;
  }

  private HttpResponse withoutBlob(Task task) {
    Path legacy = datasets.legacyResultFile(task.id());
    if (Files.isRegularFile(legacy)) {
      return ndjson(
          task,
          FileIO.fromPath(legacy)
              .withAttributes(ActorAttributes.dispatcher(datasets.ioDispatcher())));
    }
    Instant expired = expiredAt(task);
    if (expired != null) {
      throw ApiError.gone(
          "the result of task "
              + task.id()
              + " expired at "
              + expired
              + " and was removed: results are kept for hive.datasets.retention ("
              + datasets.retention()
              + ") after their task ends, and this one ended at "
              + task.completedAt());
    }
    return ndjson(task, Source.empty()); // no chunk folded yet
  }

  /** When the retention ended for this task's result, if it has. */
  private Instant expiredAt(Task task) {
    if (!task.status().isTerminal() || task.completedAt() == null) {
      return null;
    }
    Instant at = task.completedAt().plus(datasets.retention());
    return at.isAfter(Instant.now()) ? null : at;
  }

  private static HttpResponse ndjson(Task task, Source<ByteString, ?> lines) {
    return HttpResponse.create()
        .withStatus(StatusCodes.OK)
        .addHeader(RawHeader.create("X-Task-Status", task.status().label()))
        .withEntity(HttpEntities.createChunked(Ndjson.TYPE, lines));
  }
}
