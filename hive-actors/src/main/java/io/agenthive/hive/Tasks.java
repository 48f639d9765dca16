package io.agenthive.hive;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.access.Principal;
import io.agenthive.common.FieldError;
import io.agenthive.common.HiveException;
import io.agenthive.common.HiveLimits;
import io.agenthive.common.HiveSettings;
import io.agenthive.dataset.DatasetSettings;
import io.agenthive.dataset.Datasets;
import io.agenthive.matcher.HiveCounts;
import io.agenthive.matcher.MatcherProtocol;
import io.agenthive.task.DatasetSpec;
import io.agenthive.task.Task;
import io.agenthive.task.TaskInputLimits;
import io.agenthive.task.TaskQueue;
import io.agenthive.task.TaskRefs;
import io.agenthive.task.TaskReplies;
import io.agenthive.task.TaskSpec;
import io.agenthive.tracing.HiveTracing;
import io.agenthive.workflow.Workflows;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Tasks, for the boundaries (HTTP, MCP, the launcher): submit (validated, the id minted, a full
 * queue refused before any entity wakes), read, cancel, retry, and why one waits. Each call is one
 * bounded ask of one task entity (or the matcher); a typed refusal becomes a failed stage with a
 * {@link HiveException}.
 */
public final class Tasks {
  private final ActorSystem<?> system;
  private final HiveSettings settings;
  private final HiveLimits limits;
  private final Datasets datasets;
  private final ActorRef<MatcherProtocol.Command> matcher;
  private final Supplier<HiveCounts> freshCounts;
  private final TaskRefs refs;
  private final Workflows workflows;
  private final HiveTracing tracing;

  /** A submission's answer: the task, and whether this call created it or found it. */
  public record Submission(Task task, boolean created) {}

  Tasks(
      ActorSystem<?> system,
      HiveSettings settings,
      ActorRef<MatcherProtocol.Command> matcher,
      Supplier<HiveCounts> freshCounts,
      TaskRefs refs,
      Workflows workflows) {
    this.system = system;
    this.settings = settings;
    this.limits = HiveLimits.get(system);
    this.datasets = Datasets.get(system);
    this.matcher = matcher;
    this.freshCounts = freshCounts;
    this.refs = refs;
    this.workflows = workflows;
    this.tracing = HiveTracing.get(system);
  }

  /** Submits as the hub itself (the demo, the load command, tests): the task. */
  public CompletionStage<Task> submitTask(TaskSpec spec) {
    return submit(spec, Principal.HUB, null, null).thenApply(Submission::task);
  }

  /**
   * Submits for {@code by}, who is journaled with the task; completes once the queue took it and it
   * is journaled. With tracing on, the task's span starts under {@code traceparent} (the W3C header
   * of the request that submitted it; null for none). {@code taskId}: from {@link #idFor} (the
   * upload route names its blob by it first); null, minted here.
   */
  public CompletionStage<Submission> submit(
      TaskSpec submitted, Principal by, String traceparent, String taskId) {
    List<FieldError> errors = new ArrayList<>(submitted.validate());
    errors.addAll(TaskInputLimits.check(submitted, limits, ""));
    if (submitted.chunk() != null) {
      errors.add(new FieldError("chunk", "chunk tasks are made by the hub, not submitted"));
    }
    if (!errors.isEmpty()) {
      return CompletableFuture.failedFuture(HiveException.invalid(errors));
    }
    String id = taskId != null ? taskId : idFor(submitted, by);
    if (!submitted.hasDataset()) {
      return admit(id, submitted, by, traceparent);
    }
    // the file system is asked on the I/O dispatcher, not on the caller's thread
    return CompletableFuture.supplyAsync(() -> resolveDataset(submitted), datasets.io())
        .thenCompose(spec -> admit(id, spec, by, traceparent));
  }

  private CompletionStage<Submission> admit(
      String taskId, TaskSpec spec, Principal by, String traceparent) {
    if (spec.waits()) {
      return waiting(taskId, spec, by);
    }
    HiveCounts latest = freshCounts.get();
    if (spec.idempotencyKey() == null
        && latest != null
        && latest.pending() >= settings.queueBound()) {
      // refused here, as the matcher would: a burst against a full queue wakes no entity
      return CompletableFuture.failedFuture(queueFull(settings.queueBound()));
    }
    boolean traced = tracing.submitting(taskId, traceparent);
    CompletionStage<Submission> submitted =
        refs.submit(taskId, spec, by.label()).thenApply(Tasks::submission);
    if (!traced) {
      return submitted;
    }
    return submitted.whenComplete(
        (s, refused) -> {
          if (refused != null || !s.created()) {
            tracing.submissionEnded(taskId, refused); // an existing task keeps its own trace
          }
        });
  }

  private static Submission submission(TaskReplies.SubmitReply reply) {
    if (reply instanceof TaskReplies.Accepted accepted) {
      return new Submission(accepted.task(), accepted.created());
    } else if (reply instanceof TaskReplies.QueueFull full) {
      throw queueFull(full.bound());
    }
    throw new HiveException(
        HiveException.Kind.UNAVAILABLE, ((TaskReplies.Unavailable) reply).message());
  }

  /** A task with dependencies: blocked (no place in the queue) until they end. */
  private CompletionStage<Submission> waiting(String taskId, TaskSpec spec, Principal by) {
    CompletionStage<Task> before =
        spec.idempotencyKey() == null
            ? CompletableFuture.completedFuture(Task.empty(taskId))
            : refs.get(taskId);
    return before.thenCompose(
        found ->
            found.exists()
                ? CompletableFuture.completedFuture(new Submission(found, false))
                : workflows
                    .submitWaiting(taskId, spec, by)
                    .thenApply(t -> new Submission(t, true)));
  }

  private static HiveException queueFull(int bound) {
    return new HiveException(
        HiveException.Kind.QUEUE_FULL, new TaskQueue.QueueFull(bound).message());
  }

  /** The task as its entity has it now; empty for an id no task has. */
  public CompletionStage<Optional<Task>> get(String taskId) {
    return refs.get(taskId).thenApply(t -> t.exists() ? Optional.of(t) : Optional.empty());
  }

  public CompletionStage<Task> cancel(String taskId, Principal by) {
    return HiveException.unwrap(refs.cancel(taskId, by.label()));
  }

  /**
   * Decides an open approval as {@code by}, who must be one of its approvers (else a forbidden
   * refusal); a second decision is a conflict.
   */
  public CompletionStage<Task> decide(
      String taskId, boolean approve, String comment, JsonNode output, Principal by) {
    return HiveException.unwrap(refs.decide(taskId, approve, comment, output, by));
  }

  /** Gives a waiting step its signal; {@code payload} becomes its output. */
  public CompletionStage<Task> signal(String taskId, String name, JsonNode payload, Principal by) {
    if (io.agenthive.workflow.ConsensusSteps.SIGNAL.equals(name)) {
      // a consensus step's tally is decided by its workflow alone, never by hand
      return java.util.concurrent.CompletableFuture.failedFuture(
          HiveException.invalid(
              List.of(
                  new io.agenthive.common.FieldError(
                      "name",
                      "the signal '"
                          + name
                          + "' is the hub's own: a consensus step's result, sent by its"
                          + " workflow"))));
    }
    return HiveException.unwrap(refs.signal(taskId, name, payload, by.label()));
  }

  /** Gives a failed task one more attempt. */
  public CompletionStage<Task> retry(String taskId, Principal by) {
    return HiveException.unwrap(refs.retry(taskId, by.label()));
  }

  /**
   * Why a pending task waits ({@code no_agent_qualifies}, {@code all_busy}, ...), asked of the
   * matcher; empty when it does not wait in the queue or the matcher does not answer in time.
   */
  public CompletionStage<Optional<String>> whyWaiting(String taskId) {
    CompletionStage<MatcherProtocol.WaitingReason> reply =
        AskPattern.ask(
            matcher,
            (ActorRef<MatcherProtocol.WaitingReason> r) ->
                new MatcherProtocol.WhyWaiting(taskId, r),
            settings.askTimeout(),
            system.scheduler());
    return reply.handle(
        (r, late) ->
            late != null || r == null ? Optional.empty() : Optional.ofNullable(r.reason()));
  }

  /**
   * The dataset's defaults and absolute path; a file the hub may not read is a field error. An
   * uploaded input names its blob, which only the upload route may do (JSON submissions are never
   * {@code uploaded}), so a client cannot name another client's upload.
   */
  private TaskSpec resolveDataset(TaskSpec spec) {
    DatasetSettings s = datasets.settings();
    if (DatasetSpec.blobIdOf(spec.dataset().path()) != null) {
      if (!spec.dataset().uploaded()) {
        throw HiveException.invalid(
            List.of(new FieldError("dataset.path", "names an upload; upload the file instead")));
      }
      return spec.withDataset(spec.dataset().withDefaults(s.chunkBytes(), s.parallelism()));
    }
    Path input = Path.of(spec.dataset().path()).toAbsolutePath().normalize();
    if (!Files.isRegularFile(input) || !s.mayRead(input)) {
      throw HiveException.invalid(
          List.of(
              new FieldError(
                  "dataset.path",
                  "must be a readable "
                      + "file inside a directory listed in hive.datasets.allowed-dirs (HIVE_DATASET_DIRS)")));
    }
    return spec.withDataset(
        spec.dataset().withDefaults(s.chunkBytes(), s.parallelism()).withPath(input.toString()));
  }

  /**
   * The same idempotency key from the same principal always names the same task, so a retried
   * submission finds it; another principal's same key names another task (it must not get the first
   * one's task back). Without a key, a new id. An agent's key is scoped by the task it works on
   * (the new task's parent) instead of by the agent: a run of that task started again on another
   * agent after a crash must find the subtasks the first one made.
   */
  public static String idFor(TaskSpec spec, Principal by) {
    if (spec.idempotencyKey() == null) {
      return UUID.randomUUID().toString();
    }
    var deps = spec.dependencies();
    String scope =
        by.kind() == Principal.Kind.AGENT && deps != null && deps.parentId() != null
            ? "subtask-of:" + deps.parentId()
            : by.label();
    byte[] key =
        ("idempotency-key:" + scope + ":" + spec.idempotencyKey()).getBytes(StandardCharsets.UTF_8);
    return UUID.nameUUIDFromBytes(key).toString();
  }
}
