package io.agenthive.http.api;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.RawHeader;
import io.agenthive.blob.BlobStore;
import io.agenthive.http.json.ApiError;
import io.agenthive.http.json.Json;
import io.agenthive.task.StoredOutput;
import io.agenthive.task.Task;
import io.agenthive.task.TaskResult;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /api/tasks/{id}/result} for a task that is not a dataset task: its output as JSON,
 * streamed from the blob store when it was too large to keep in its event (with its size and
 * SHA-256 in headers, so a reader can check what it got), or written from the event.
 */
final class TaskOutputs {
  private TaskOutputs() {}

  static CompletionStage<HttpResponse> response(Task task, BlobStore blobs) {
    TaskResult r = task.result();
    StoredOutput stored = r == null ? null : r.stored();
    if (stored != null) {
      return blobs
          .info(stored.blobId())
          .thenApply(
              info -> {
                if (info.isEmpty()) {
                  throw ApiError.gone(
                      "the output of task "
                          + task.id()
                          + " was removed by hive.datasets.retention after the task ended");
                }
                return HttpResponse.create()
                    .withStatus(StatusCodes.OK)
                    .addHeader(RawHeader.create("X-Task-Status", task.status().label()))
                    .addHeader(RawHeader.create("X-Output-Size", Long.toString(stored.size())))
                    .addHeader(RawHeader.create("X-Output-SHA256", stored.sha256()))
                    .withEntity(
                        HttpEntities.create(
                            ContentTypes.APPLICATION_JSON,
                            stored.size(),
                            blobs.read(stored.blobId(), 0, -1)));
              });
    }
    if (r == null || r.output() == null || r.output().isNull()) {
      return CompletableFuture.failedFuture(
          ApiError.notFound(
              "task " + task.id() + " has no output (it is " + task.status().label() + ")"));
    }
    return CompletableFuture.completedFuture(
        HttpResponse.create()
            .withStatus(StatusCodes.OK)
            .addHeader(RawHeader.create("X-Task-Status", task.status().label()))
            .withEntity(ContentTypes.APPLICATION_JSON, Json.bytes(r.output())));
  }
}
