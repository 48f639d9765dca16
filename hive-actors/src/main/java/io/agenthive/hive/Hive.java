package io.agenthive.hive;

import io.agenthive.common.HiveSettings;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.pattern.StatusReply;
import com.typesafe.config.Config;
import io.agenthive.agent.AgentActor;
import io.agenthive.agent.AgentLifecycle;
import io.agenthive.agent.AgentSpec;
import io.agenthive.agent.AgentView;
import io.agenthive.board.TaskBoard;
import io.agenthive.common.FieldError;
import io.agenthive.common.HiveException;
import io.agenthive.dataset.DatasetSettings;
import io.agenthive.dataset.Datasets;
import io.agenthive.remote.RemoteWorkers;
import io.agenthive.skill.SkillRegistry;
import io.agenthive.task.Task;
import io.agenthive.task.TaskEntity;
import io.agenthive.task.TaskSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The hive's API for boundaries (launcher, HTTP): validates requests, talks to the actors with
 * bounded asks, and turns typed replies into values or a failed stage with a {@link
 * HiveException}. Nothing here blocks except {@link #start}, which a launcher calls once.
 */
public final class Hive {
  private final ActorSystem<?> system;
  private final HiveSettings settings;
  private final Datasets datasets;
  private final SkillRegistry skills;
  private final ActorRef<TaskBoard.Command> board;
  private final ActorRef<HiveCoordinator.Command> coordinator;
  private final TaskRefs tasks;

  Hive(ActorSystem<?> system, HiveSettings settings, SkillRegistry skills,
      ActorRef<TaskBoard.Command> board, ActorRef<HiveCoordinator.Command> coordinator) {
    this.system = system;
    this.settings = settings;
    this.datasets = Datasets.get(system);
    this.skills = skills;
    this.board = board;
    this.coordinator = coordinator;
    this.tasks = new TaskRefs(system, settings.askTimeout());
    RemoteWorkers.get(system).bind(this);
  }

  /** Starts a hive node with {@code config} and waits until its actors exist (not recovered). */
  public static Hive start(String name, Config config) throws Exception {
    CompletableFuture<Hive> started = new CompletableFuture<>();
    ActorSystem<Void> system = ActorSystem.create(HiveGuardian.create(started), name, config);
    try {
      return started.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      system.terminate();
      throw e;
    }
  }

  public ActorSystem<?> system() {
    return system;
  }

  public DatasetSettings datasets() {
    return datasets.settings();
  }

  public HiveSettings settings() {
    return settings;
  }

  /** Completes once the board and this node's coordinator have recovered from the journal. */
  public CompletionStage<TaskBoard.QueueView> ready(Duration timeout) {
    CompletionStage<HiveCoordinator.AgentRefs> agents =
        AskPattern.ask(coordinator, HiveCoordinator.ListAgents::new, timeout, system.scheduler());
    return agents.thenCompose(a -> queue(timeout));
  }

  public CompletionStage<TaskBoard.QueueView> queue(Duration timeout) {
    return AskPattern.ask(board, TaskBoard.GetQueue::new, timeout, system.scheduler());
  }

  public CompletionStage<AgentView> registerAgent(AgentSpec spec) {
    List<FieldError> errors = new ArrayList<>(spec.validate(skills.names()));
    if (errors.isEmpty()) {
      skills.find(spec.skill().name()).ifPresent(f -> f.validateConfig(spec.skill().config())
          .forEach(e -> errors.add(new FieldError("skill.config." + e.field(), e.message()))));
    }
    if (!errors.isEmpty()) {
      return CompletableFuture.failedFuture(HiveException.invalid(errors));
    }
    return unwrap(AskPattern.ask(coordinator,
        (ActorRef<StatusReply<AgentView>> r) -> new HiveCoordinator.RegisterAgent(spec, r),
        settings.askTimeout(), system.scheduler()), HiveException.Kind.UNAVAILABLE);
  }

  public CompletionStage<Optional<AgentView>> agent(String agentId) {
    CompletionStage<StatusReply<AgentView>> reply = AskPattern.ask(coordinator,
        (ActorRef<StatusReply<AgentView>> r) -> new HiveCoordinator.GetAgent(agentId, r),
        settings.askTimeout(), system.scheduler());
    return reply.thenApply(r -> r.isSuccess() ? Optional.of(r.getValue()) : Optional.empty());
  }

  /** Pauses, resumes or retires an agent; {@code drain} lets a retiring agent finish its task. */
  public CompletionStage<AgentView> changeAgentState(
      String agentId, AgentLifecycle.Transition transition, boolean drain) {
    return unwrap(AskPattern.ask(coordinator,
        (ActorRef<StatusReply<AgentView>> r) ->
            new HiveCoordinator.ChangeAgentState(agentId, transition, drain, r),
        settings.askTimeout(), system.scheduler()), HiveException.Kind.CONFLICT);
  }

  /** Every agent of this node, oldest first. */
  public CompletionStage<List<AgentView>> agents() {
    CompletionStage<HiveCoordinator.AgentRefs> refs = AskPattern.ask(coordinator,
        HiveCoordinator.ListAgents::new, settings.askTimeout(), system.scheduler());
    return refs.thenCompose(all -> {
      List<CompletableFuture<StatusReply<AgentView>>> views = new ArrayList<>();
      for (ActorRef<AgentActor.Command> ref : all.agents().values()) {
        views.add(AskPattern.ask(ref, AgentActor.GetView::new, settings.askTimeout(),
            system.scheduler()).toCompletableFuture());
      }
      return CompletableFuture.allOf(views.toArray(CompletableFuture[]::new)).thenApply(v -> views
          .stream()
          .map(CompletableFuture::join) // allowed: every future is already complete here
          .filter(StatusReply::isSuccess)
          .map(StatusReply::getValue)
          .sorted(Comparator.comparing(AgentView::createdAt).thenComparing(AgentView::id))
          .toList());
    });
  }

  /** A submission's answer: the task, and whether this call created it or found it. */
  public record Submission(Task task, boolean created) {}

  /** Submits a task; completes only after the board queued it and it is journaled. */
  public CompletionStage<Task> submitTask(TaskSpec spec) {
    return submit(spec).thenApply(Submission::task);
  }

  /** Like {@link #submitTask}, telling a new task from one found by its idempotency key. */
  public CompletionStage<Submission> submit(TaskSpec submitted) {
    List<FieldError> errors = new ArrayList<>(submitted.validate());
    if (submitted.chunk() != null) {
      errors.add(new FieldError("chunk", "chunk tasks are made by the hub, not submitted"));
    }
    if (!errors.isEmpty()) {
      return CompletableFuture.failedFuture(HiveException.invalid(errors));
    }
    if (!submitted.hasDataset()) {
      return admit(submitted);
    }
    // the file system is asked on the I/O dispatcher, not on the caller's thread
    return CompletableFuture.supplyAsync(() -> resolveDataset(submitted), datasets.io())
        .thenCompose(this::admit);
  }

  private CompletionStage<Submission> admit(TaskSpec spec) {
    return tasks.submit(taskIdFor(spec), spec).thenApply(reply -> {
      if (reply instanceof TaskEntity.Accepted accepted) {
        return new Submission(accepted.task(), accepted.created());
      } else if (reply instanceof TaskEntity.QueueFull full) {
        throw new HiveException(HiveException.Kind.QUEUE_FULL,
            "queue full: " + full.bound() + " tasks are pending; retry later");
      }
      throw new HiveException(HiveException.Kind.UNAVAILABLE,
          ((TaskEntity.Unavailable) reply).message());
    });
  }

  public CompletionStage<Optional<Task>> task(String taskId) {
    return tasks.get(taskId).thenApply(t -> t.exists() ? Optional.of(t) : Optional.empty());
  }

  public CompletionStage<Task> cancelTask(String taskId) {
    return unwrap(tasks.cancel(taskId), HiveException.Kind.CONFLICT);
  }

  /** Gives a failed task one more attempt. */
  public CompletionStage<Task> retryTask(String taskId) {
    return unwrap(tasks.retry(taskId), HiveException.Kind.CONFLICT);
  }

  /** The dataset's defaults and absolute path; a file the hub may not read is a field error. */
  private TaskSpec resolveDataset(TaskSpec spec) {
    DatasetSettings s = datasets.settings();
    Path input = Path.of(spec.dataset().path()).toAbsolutePath().normalize();
    if (!Files.isRegularFile(input) || !s.mayRead(input)) {
      throw HiveException.invalid(List.of(new FieldError("dataset.path", "must be a readable "
          + "file inside a directory listed in hive.datasets.allowed-dirs (HIVE_DATASET_DIRS)")));
    }
    return spec.withDataset(spec.dataset().withDefaults(s.chunkBytes(), s.parallelism()).withPath(input.toString()));
  }

  /** The same idempotency key always names the same task, so a retried submission finds it. */
  static String taskIdFor(TaskSpec spec) {
    if (spec.idempotencyKey() == null) {
      return UUID.randomUUID().toString();
    }
    byte[] key = ("idempotency-key:" + spec.idempotencyKey()).getBytes(StandardCharsets.UTF_8);
    return UUID.nameUUIDFromBytes(key).toString();
  }

  private static <T> CompletionStage<T> unwrap(
      CompletionStage<StatusReply<T>> reply, HiveException.Kind kind) {
    return reply.thenApply(r -> {
      if (r.isSuccess()) {
        return r.getValue();
      }
      String message = r.getError().getMessage();
      HiveException.Kind actual = message.endsWith("not found") ? HiveException.Kind.NOT_FOUND
          : message.startsWith("queue full") ? HiveException.Kind.QUEUE_FULL
          : message.contains("did not answer") ? HiveException.Kind.UNAVAILABLE
          : kind;
      throw new HiveException(actual, message);
    });
  }
}
