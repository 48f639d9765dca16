package io.agenthive.http.api;

import static akka.http.javadsl.server.Directives.*;
import static akka.http.javadsl.server.PathMatchers.segment;

import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import akka.stream.ActorAttributes;
import akka.stream.javadsl.FileIO;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agenthive.access.Principal;
import io.agenthive.dataset.DatasetSettings;
import io.agenthive.dataset.Datasets;
import io.agenthive.hive.Hive;
import io.agenthive.http.guard.Guard;
import io.agenthive.http.json.ApiError;
import io.agenthive.http.json.JsonFields;
import io.agenthive.http.json.Responses;
import io.agenthive.task.Task;
import io.agenthive.task.TaskSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Dataset tasks over HTTP: {@code POST /api/tasks/upload} streams the body to the hub's upload
 * directory (never into the heap; the task is submitted once the file is complete, so a restarted
 * hub can still read it), and {@code GET /api/tasks/{id}/result} streams the folded result file
 * back as NDJSON, however large. Files are read and written on the datasets I/O dispatcher.
 */
public final class DatasetRoutes {
  static final ContentType NDJSON = ContentTypes.parse("application/x-ndjson");

  private final Hive hive;
  private final DatasetSettings datasets;
  private final java.util.concurrent.Executor io;
  private final long maxUploadBytes;
  private final scala.concurrent.duration.FiniteDuration uploadTimeout;

  public DatasetRoutes(Hive hive) {
    this.hive = hive;
    this.datasets = hive.datasets();
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
                            post(
                                () ->
                                    withRequestTimeout(
                                        uploadTimeout,
                                        () ->
                                            parameterMultiMap(
                                                params ->
                                                    optionalHeaderValueByName(
                                                        "Idempotency-Key",
                                                        key ->
                                                            Guard.principal(
                                                                by ->
                                                                    extractRequestEntity(
                                                                        entity ->
                                                                            Responses.async(
                                                                                requestId,
                                                                                upload(
                                                                                    params,
                                                                                    entity,
                                                                                    key.orElse(
                                                                                        null),
                                                                                    by),
                                                                                s ->
                                                                                    s.created()
                                                                                        ? Responses
                                                                                            .created(
                                                                                                "/api/tasks/"
                                                                                                    + s.task()
                                                                                                        .id(),
                                                                                                Views
                                                                                                    .task(
                                                                                                        s
                                                                                                            .task()))
                                                                                        : Responses
                                                                                            .json(
                                                                                                StatusCodes
                                                                                                    .OK,
                                                                                                Views
                                                                                                    .task(
                                                                                                        s
                                                                                                            .task()))))))))),
                            // "upload" is not a task id: other methods are refused here, not looked
                            // up
                            complete(
                                HttpResponse.create()
                                    .withStatus(StatusCodes.METHOD_NOT_ALLOWED)
                                    .addHeader(
                                        akka.http.javadsl.model.headers.Allow.create(
                                            akka.http.javadsl.model.HttpMethods.POST))))),
                path(
                    segment().slash("result"),
                    id ->
                        get(
                            () ->
                                // result() looks at the file system: on the I/O dispatcher
                                Responses.async(
                                    requestId,
                                    hive.task(id)
                                        .thenApplyAsync(
                                            found ->
                                                result(
                                                    id,
                                                    found.orElseThrow(
                                                        () ->
                                                            ApiError.notFound(
                                                                "task " + id + " not found"))),
                                            io),
                                    response -> response)))));
  }

  private CompletionStage<Hive.Submission> upload(
      Map<String, List<String>> params,
      akka.http.javadsl.model.RequestEntity entity,
      String key,
      Principal by) {
    String contentType = entity.getContentType().toString();
    Path stored = datasets.uploadDir().resolve(UUID.randomUUID() + ".input");
    // checked before a byte is stored, so a bad request does not cost a large upload
    TaskSpec spec = uploadSpec(params, contentType, key, stored);
    Path part = stored.resolveSibling(stored.getFileName() + ".part");
    CompletionStage<Hive.Submission> submitted =
        CompletableFuture.runAsync(() -> createDirectories(part.getParent()), io)
            .thenCompose(
                v ->
                    entity
                        .withSizeLimit(maxUploadBytes)
                        .getDataBytes()
                        .runWith(
                            FileIO.toPath(part)
                                .withAttributes(
                                    ActorAttributes.dispatcher(datasets.ioDispatcher())),
                            hive.system()))
            .thenApplyAsync(written -> move(part, stored), io)
            .thenCompose(file -> hive.submit(spec, by));
    return submitted.whenCompleteAsync(
        (s, error) -> {
          if (error != null || !s.created()) {
            deleteQuietly(part);
            deleteQuietly(stored); // refused, or the key named an earlier upload's task
          }
        },
        io);
  }

  private static TaskSpec uploadSpec(
      Map<String, List<String>> params, String contentType, String key, Path stored) {
    Map<String, String> single = single(params);
    JsonFields f = DatasetRequest.uploadFields(single, contentType);
    f.rejectUnknown(DatasetRequest.UPLOAD_PARAMS);
    ObjectNode body = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    single.forEach(
        (name, value) -> {
          if (List.of("title", "description", "type", "priority").contains(name)) {
            body.put(name, value);
          }
        });
    var caps = body.putArray("required_capabilities");
    for (String cap : params.getOrDefault("capability", List.of())) {
      int colon = cap.lastIndexOf(':');
      ObjectNode c = caps.addObject().put("name", colon < 0 ? cap : cap.substring(0, colon));
      if (colon >= 0) {
        try {
          c.put("minimum_proficiency", Double.parseDouble(cap.substring(colon + 1)));
        } catch (NumberFormatException e) {
          f.error("capability", "must be name or name:proficiency, e.g. csv:0.5");
        }
      }
    }
    for (String n : List.of("max_attempts", "timeout_ms")) {
      if (f.has(n)) {
        body.set(n, f.raw(n));
      }
    }
    var dataset = DatasetRequest.fromUpload(f, stored.toString());
    if (!f.errors().isEmpty()) {
      throw ApiError.invalid(f.errors());
    }
    TaskSpec spec = TaskRequest.parse(body, key).withDataset(dataset);
    var errors = spec.validate();
    if (!errors.isEmpty()) {
      throw ApiError.invalid(errors);
    }
    return spec;
  }

  private HttpResponse result(String id, Task task) {
    if (!task.spec().hasDataset()) {
      throw ApiError.notFound(
          "task " + id + " is not a dataset task; its result is in " + "GET /api/tasks/" + id);
    }
    Path file = datasets.resultFile(id);
    Source<ByteString, ?> lines =
        Files.exists(file)
            ? FileIO.fromPath(file)
                .withAttributes(ActorAttributes.dispatcher(datasets.ioDispatcher()))
            : Source.empty();
    return HttpResponse.create()
        .withStatus(StatusCodes.OK)
        .addHeader(
            akka.http.javadsl.model.headers.RawHeader.create(
                "X-Task-Status", task.status().label()))
        .withEntity(HttpEntities.createChunked(NDJSON, lines));
  }

  private static Map<String, String> single(Map<String, List<String>> params) {
    Map<String, String> out = new java.util.HashMap<>();
    params.forEach(
        (k, v) -> {
          if (!k.equals("capability") && !v.isEmpty()) {
            out.put(k, v.get(v.size() - 1));
          }
        });
    return out;
  }

  private static void createDirectories(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path move(Path from, Path to) {
    try {
      return Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // a leftover upload file is harmless; the next start does not read it
    }
  }
}
