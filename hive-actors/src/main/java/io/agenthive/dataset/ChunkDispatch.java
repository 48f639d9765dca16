package io.agenthive.dataset;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.pattern.Patterns;
import akka.pattern.StatusReply;
import io.agenthive.common.HiveSettings;
import io.agenthive.task.ChunkRef;
import io.agenthive.task.Task;
import io.agenthive.task.TaskEntity;
import io.agenthive.task.TaskProtocol;
import io.agenthive.task.TaskReplies;
import io.agenthive.task.TaskSpec;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends a dataset's chunks through the task board as chunk tasks and waits for each to end. A chunk
 * task's id is derived from its dataset task and index, so a resumed job finds the chunk tasks an
 * earlier incarnation submitted (and their results) instead of running them again.
 */
final class ChunkDispatch {
  private static final int SUBMIT_ATTEMPTS = 60;
  private static final Duration SUBMIT_RETRY_DELAY = Duration.ofSeconds(1);

  private final ActorSystem<?> system;
  private final HiveSettings hiveSettings;
  private final Duration awaitChunk;
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  // counted beside the set, not read from its size: a count is exact while chunks come and go
  private final AtomicInteger out = new AtomicInteger();
  private final AtomicInteger mostOut = new AtomicInteger();
  private volatile boolean stopped;

  ChunkDispatch(ActorSystem<?> system, HiveSettings hiveSettings, DatasetSettings settings) {
    this.system = system;
    this.hiveSettings = hiveSettings;
    this.awaitChunk = settings.awaitChunk();
  }

  /** The chunk task's spec: the dataset task's routing and retry policy, this chunk's bytes. */
  static TaskSpec chunkSpec(TaskSpec dataset, ChunkRef chunk) {
    String title =
        dataset.title().length() > 170 ? dataset.title().substring(0, 170) : dataset.title();
    return new TaskSpec(
            title + " · chunk " + chunk.index(),
            "",
            dataset.type(),
            dataset.priority(),
            dataset.requiredCapabilities(),
            null,
            dataset.deadline(),
            dataset.maxAttempts(),
            dataset.timeoutMs(),
            null,
            null,
            chunk)
        .withEscalation(dataset.escalation()); // chunks retry as their dataset task would
  }

  /** Submits the chunk task (or finds it) and completes when it has ended. */
  CompletionStage<Task> run(TaskSpec dataset, ChunkRef chunk) {
    String id = ChunkRef.taskId(chunk.datasetTaskId(), chunk.index());
    EntityRef<TaskProtocol.Command> entity = entity(id);
    TaskSpec spec = chunkSpec(dataset, chunk);
    inFlight.add(id);
    mostOut.accumulateAndGet(out.incrementAndGet(), Math::max);
    return Patterns.retry(
            () -> submit(entity, spec),
            SUBMIT_ATTEMPTS,
            SUBMIT_RETRY_DELAY,
            system.classicSystem().scheduler(),
            system.executionContext())
        .thenCompose(submitted -> awaitEnd(entity))
        .whenComplete(
            (task, error) -> {
              inFlight.remove(id);
              out.decrementAndGet();
            });
  }

  /**
   * The most chunk tasks this run had out at once (from submission to seen ended): the bound the
   * dataset's parallelism sets, as it actually held, reported when the run ends.
   */
  int mostOut() {
    return mostOut.get();
  }

  private CompletionStage<Task> submit(EntityRef<TaskProtocol.Command> entity, TaskSpec spec) {
    return entity
        .ask(
            (ActorRef<TaskReplies.SubmitReply> replyTo) ->
                new TaskProtocol.Submit(spec, null, replyTo),
            hiveSettings.askTimeout())
        .thenApply(
            reply -> {
              if (reply instanceof TaskReplies.Accepted accepted) {
                return accepted.task();
              }
              // queue full or board unavailable: asked again after a delay
              throw new IllegalStateException("chunk task not accepted: " + reply);
            });
  }

  /**
   * Waits for the chunk task's end. One wait lasts {@code await-chunk}; the entity may have been
   * moved or restarted meanwhile, so a wait that times out is simply asked again. Once the job
   * stopped, the waiting ends with null.
   */
  private CompletionStage<Task> awaitEnd(EntityRef<TaskProtocol.Command> entity) {
    return Patterns.retry(
        () ->
            stopped
                ? CompletableFuture.completedFuture((Task) null)
                : entity.ask(TaskProtocol.AwaitEnd::new, awaitChunk),
        Integer.MAX_VALUE,
        Duration.ofMillis(200),
        system.classicSystem().scheduler(),
        system.executionContext());
  }

  /**
   * Stops waiting; with {@code cancelChunks} (the dataset task was cancelled) also cancels the
   * chunk tasks still out, so their agents stop too.
   */
  void stop(boolean cancelChunks) {
    stopped = true;
    if (cancelChunks) {
      for (String id : inFlight) {
        entity(id)
            .<StatusReply<Task>>ask(
                r -> new TaskProtocol.Cancel(null, r), hiveSettings.askTimeout());
      }
    }
  }

  private EntityRef<TaskProtocol.Command> entity(String taskId) {
    return ClusterSharding.get(system).entityRefFor(TaskEntity.TYPE_KEY, taskId);
  }
}
