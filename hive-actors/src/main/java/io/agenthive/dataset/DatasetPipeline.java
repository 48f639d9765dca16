package io.agenthive.dataset;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.japi.Pair;
import akka.pattern.StatusReply;
import akka.stream.KillSwitches;
import akka.stream.UniqueKillSwitch;
import akka.stream.javadsl.Keep;
import akka.stream.javadsl.Sink;
import io.agenthive.blob.BlobStore;
import io.agenthive.blob.BlobStores;
import io.agenthive.common.Failures;
import io.agenthive.common.HiveSettings;
import io.agenthive.task.ChunkRef;
import io.agenthive.task.DatasetCommands;
import io.agenthive.task.DatasetProgress;
import io.agenthive.task.DatasetSpec;
import io.agenthive.task.Task;
import io.agenthive.task.TaskEntity;
import io.agenthive.task.TaskProtocol;
import io.agenthive.task.TaskResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * One run of a dataset task, from its last checkpoint to the end of its input: {@code input (blob
 * or file) → chunk boundaries + SHA-256 → mapAsync(parallelism) chunk tasks → fold in order →
 * result blob + checkpoints}. Demand flows back from the agents: the input is read only as fast as
 * chunk tasks end, and at most {@code parallelism} chunks are out at once. Blocking work (the
 * header, the result's appends) runs on the datasets I/O dispatcher.
 */
final class DatasetPipeline {
  /** The task cannot succeed (unreadable input, a malformed record it does not allow). */
  static final class Rejected extends RuntimeException {
    Rejected(String message) {
      super(message);
    }
  }

  /** The task stopped running meanwhile (cancelled, or already finished): nothing to report. */
  static final class TaskNotRunning extends RuntimeException {
    TaskNotRunning(String message) {
      super(message);
    }
  }

  private record Prepared(
      DatasetProgress progress, List<String> header, BlobStore.Appender result) {}

  private final Task task;
  private final DatasetSpec dataset;
  private final DatasetSettings settings;
  private final HiveSettings hiveSettings;
  private final ActorSystem<?> system;
  private final Executor io;
  private final BlobStore blobs;
  private final DatasetInput input;
  private final ChunkDispatch chunks;
  private volatile UniqueKillSwitch killSwitch;
  private volatile boolean cancelled;

  DatasetPipeline(
      Task task, ActorSystem<?> system, HiveSettings hiveSettings, DatasetSettings settings) {
    this.task = task;
    this.dataset = task.spec().dataset();
    this.settings = settings;
    this.hiveSettings = hiveSettings;
    this.system = system;
    this.io = Datasets.get(system).io();
    this.blobs = BlobStores.get(system);
    this.input = DatasetInput.of(dataset.path(), blobs, settings);
    this.chunks = new ChunkDispatch(system, hiveSettings, settings);
  }

  /** Runs to the end; completes once the task's end is journaled (or fails, see above). */
  CompletionStage<Done> run() {
    return prepare()
        .thenCompose(
            prepared ->
                stream(prepared)
                    .whenCompleteAsync(
                        (done, error) -> {
                          // a run that failed or was stopped leaves its result as it is: the
                          // next run cuts it back to the checkpoint, and a write from this one
                          // could land after that cut
                          if (error == null) {
                            closeQuietly(prepared.result());
                          }
                        },
                        io))
        .exceptionallyCompose(
            error -> {
              Throwable cause = Failures.cause(error);
              if (cause instanceof Rejected rejected) {
                return finish(null, new TaskResult(false, null, rejected.getMessage(), 0, null));
              }
              return CompletableFuture.failedFuture(cause);
            });
  }

  /** Stops reading at once; {@code cancelChunks} also cancels the chunk tasks still out. */
  void stop(boolean cancelChunks) {
    cancelled = true;
    chunks.stop(cancelChunks);
    UniqueKillSwitch ks = killSwitch;
    if (ks != null) {
      ks.abort(new TaskNotRunning("dataset task " + task.id() + " was stopped"));
    }
  }

  /** Chunks out at once, at most, in this run so far; and the most the dataset allows. */
  String chunksOutReport() {
    return "at most " + chunks.mostOut() + " of " + dataset.parallelism() + " chunk(s) out at once";
  }

  /** The input's size, the CSV header, the progress to resume from and the result opened. */
  private CompletionStage<Prepared> prepare() {
    return input
        .size(io)
        .exceptionally(
            error -> {
              Throwable cause = Failures.cause(error);
              if (cause instanceof UncheckedIOException u
                  && u.getCause() instanceof DatasetInput.Missing missing) {
                throw new Rejected(missing.getMessage());
              }
              throw new CompletionException(cause);
            })
        .thenCombine(blobs.info(DatasetBlobs.resultId(task.id())), Pair::create)
        .thenApplyAsync(sized -> prepare(sized.first(), sized.second().isPresent()), io);
  }

  private Prepared prepare(long size, boolean resultExists) {
    try {
      DatasetProgress progress = task.progress();
      List<String> header = List.of();
      if (dataset.format() == DatasetSpec.Format.CSV) {
        CsvHeader h = CsvHeader.read(input, settings.maxRecordBytes());
        header = h.fields();
        if (progress == null) {
          progress = DatasetProgress.start(size, h.endOffset(), 2);
        }
      }
      if (progress == null) {
        progress = DatasetProgress.start(size, 0, 1);
      }
      BlobStore.Appender result =
          ResultAppender.open(blobs, settings, task.id(), progress.resultBytes(), resultExists);
      return new Prepared(progress, header, result);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private CompletionStage<Done> stream(Prepared prepared) {
    DatasetProgress from = prepared.progress();
    DatasetFold fold = new DatasetFold(from);
    Pair<UniqueKillSwitch, CompletionStage<Done>> running =
        input
            .from(from.nextOffset())
            .statefulMap(
                () ->
                    new ChunkScanner(
                        dataset.format(),
                        dataset.chunkBytes(),
                        settings.maxRecordBytes(),
                        from.chunksDone(),
                        from.nextOffset(),
                        from.nextLine(),
                        from.nextInOversizedRecord()),
                (scanner, bytes) -> {
                  byte[] array = bytes.toArrayUnsafe();
                  return Pair.create(scanner, scanner.feed(array, 0, array.length));
                },
                scanner -> Optional.of(scanner.finish()))
            .mapConcat(found -> found)
            .mapAsync(
                dataset.parallelism(),
                chunk -> {
                  ChunkRef ref =
                      new ChunkRef(
                          task.id(),
                          chunk.index(),
                          dataset.path(),
                          chunk.offset(),
                          chunk.length(),
                          chunk.sha256(),
                          dataset.format(),
                          chunk.firstLine(),
                          prepared.header(),
                          chunk.oversizedLastRecord());
                  return chunks
                      .run(task.spec(), ref)
                      .thenApply(ended -> new DatasetFold.Outcome(chunk, ref, ended));
                })
            .mapAsync(1, outcome -> fold(fold, prepared.result(), outcome))
            .viaMat(KillSwitches.single(), Keep.right())
            .toMat(Sink.ignore(), Keep.both())
            .run(system);
    killSwitch = running.first();
    if (cancelled) {
      running.first().abort(new TaskNotRunning("dataset task " + task.id() + " was stopped"));
    }
    return running
        .second()
        .thenCompose(
            done ->
                CompletableFuture.supplyAsync(() -> sync(prepared.result()), io)
                    .thenCompose(
                        size -> {
                          String failure = fold.failure();
                          TaskResult result =
                              failure == null
                                  ? new TaskResult(
                                      true, fold.summary(task.id(), size), null, 0, 1.0)
                                  : new TaskResult(false, null, failure, 0, null);
                          return finish(fold.finalProgress(size), result);
                        }));
  }

  /** Writes the outcome's line; journals a checkpoint every {@code checkpoint-every} chunks. */
  private CompletionStage<Done> fold(
      DatasetFold fold, BlobStore.Appender result, DatasetFold.Outcome outcome) {
    if (outcome.task() == null) {
      return CompletableFuture.failedFuture(new TaskNotRunning("stopped while waiting"));
    }
    return CompletableFuture.supplyAsync(
            () -> {
              try {
                result.append(fold.add(outcome, blobs));
                boolean reject = dataset.failOnMalformed() && fold.firstMalformed() != null;
                boolean due = fold.chunksDone() % settings.checkpointEvery() == 0;
                return reject || due ? fold.progress(result.sync()) : null;
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            },
            io)
        .thenCompose(
            progress -> {
              if (progress == null) {
                return CompletableFuture.completedFuture(Done.getInstance());
              }
              return checkpoint(progress)
                  .thenApply(
                      done -> {
                        if (dataset.failOnMalformed() && fold.firstMalformed() != null) {
                          throw new Rejected(
                              fold.firstMalformed() + " (the task fails on malformed records)");
                        }
                        return done;
                      });
            });
  }

  private CompletionStage<Done> checkpoint(DatasetProgress progress) {
    return entity()
        .ask(
            (ActorRef<StatusReply<Done>> replyTo) ->
                new DatasetCommands.RecordProgress(progress, replyTo),
            hiveSettings.askTimeout())
        .thenApply(this::accepted);
  }

  private CompletionStage<Done> finish(DatasetProgress progress, TaskResult result) {
    return entity()
        .ask(
            (ActorRef<StatusReply<Done>> replyTo) ->
                new DatasetCommands.FinishDataset(progress, result, replyTo),
            hiveSettings.askTimeout())
        .thenApply(this::accepted);
  }

  private Done accepted(StatusReply<Done> reply) {
    if (reply.isError()) {
      throw new TaskNotRunning(reply.getError().getMessage());
    }
    return reply.getValue();
  }

  private EntityRef<TaskProtocol.Command> entity() {
    return ClusterSharding.get(system).entityRefFor(TaskEntity.TYPE_KEY, task.id());
  }

  private static long sync(BlobStore.Appender result) {
    try {
      return result.sync();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void closeQuietly(BlobStore.Appender result) {
    try {
      result.close();
    } catch (IOException ignored) {
      // the run has ended: every line was synced before the end was journaled; closing only
      // marks the result complete
    }
  }
}
