package io.agenthive.hive;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.typed.Cluster;
import akka.pattern.StatusReply;
import com.typesafe.config.Config;
import io.agenthive.access.Access;
import io.agenthive.access.Principal;
import io.agenthive.access.Role;
import io.agenthive.agent.AgentActor;
import io.agenthive.agent.AgentLifecycle;
import io.agenthive.agent.AgentProtocol;
import io.agenthive.agent.AgentSpec;
import io.agenthive.agent.AgentView;
import io.agenthive.common.FieldError;
import io.agenthive.common.HiveException;
import io.agenthive.common.HiveLimits;
import io.agenthive.common.HiveSettings;
import io.agenthive.dataset.DatasetSettings;
import io.agenthive.dataset.Datasets;
import io.agenthive.matcher.Backlog;
import io.agenthive.matcher.HiveCounts;
import io.agenthive.matcher.MatcherProtocol;
import io.agenthive.skill.SkillRegistry;
import io.agenthive.skill.SkillRules;
import io.agenthive.skill.guard.EgressPolicy;
import io.agenthive.task.DatasetSpec;
import io.agenthive.task.Task;
import io.agenthive.task.TaskReplies;
import io.agenthive.task.TaskSpec;
import io.agenthive.tracing.HiveTracing;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The hive's API for boundaries (launcher, HTTP): validates requests, talks to the actors with
 * bounded asks, and turns typed replies into values or a failed stage with a {@link HiveException}.
 * Reads never fan out: one agent or one task is asked directly, counts come from this node's copy
 * of the matcher's. Nothing here blocks except {@link #start}.
 */
public final class Hive {
  /**
   * How often this node's counts board subscribes to the matcher again (a matcher that restarted or
   * moved has forgotten it); counts older than this are not fresh.
   */
  static final Duration COUNTS_RESUBSCRIBE = Duration.ofSeconds(2);

  private final ActorSystem<?> system;
  private final HiveSettings settings;
  private final Datasets datasets;
  private final SkillRegistry skills;
  private final ActorRef<MatcherProtocol.Command> matcher;
  private final AtomicReference<HiveCounts> counts;
  private final TaskRefs tasks;
  private final ClusterSharding sharding;
  private final Access access;
  private final HiveTracing tracing;
  private final Workflows workflows;
  private final Budgets budgets;
  private final HiveLimits limits;

  Hive(
      ActorSystem<?> system,
      HiveSettings settings,
      SkillRegistry skills,
      ActorRef<MatcherProtocol.Command> matcher,
      AtomicReference<HiveCounts> counts,
      Access access,
      Budgets budgets) {
    this.system = system;
    this.settings = settings;
    this.datasets = Datasets.get(system);
    this.skills = skills;
    this.matcher = matcher;
    this.counts = counts;
    this.tasks = new TaskRefs(system, settings.askTimeout());
    this.tracing = HiveTracing.get(system);
    this.sharding = ClusterSharding.get(system);
    this.access = access;
    this.workflows = new Workflows(system, tasks, settings);
    this.budgets = budgets;
    this.limits = HiveLimits.get(system);
  }

  /** Token and cost budgets, and what they hold back. */
  public Budgets budgets() {
    return budgets;
  }

  /** Workflows: tasks that depend on tasks, submitted and cancelled together. */
  public Workflows workflows() {
    return workflows;
  }

  /** Keys, users and refresh tokens. */
  public Access access() {
    return access;
  }

  /** A hive node without a read side to rebuild from (a fresh, in-memory start). */
  public static Hive start(String name, Config config) throws Exception {
    return start(name, config, system -> Backlog.EMPTY);
  }

  /** Starts a hive node with {@code config}; waits until its actors exist (not recovered). */
  public static Hive start(String name, Config config, Function<ActorSystem<?>, Backlog> backlog)
      throws Exception {
    CompletableFuture<Hive> started = new CompletableFuture<>();
    ActorSystem<Void> system =
        ActorSystem.create(HiveGuardian.create(started, backlog), name, config);
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

  /** This node's name: {@code hive.node.name}, or its cluster address, unique while it runs. */
  public String nodeName() {
    return settings.nodeName().isBlank()
        ? Cluster.get(system).selfMember().address().hostPort()
        : settings.nodeName();
  }

  /** Completes once the matcher has rebuilt what the journal holds, with the counts then. */
  public CompletionStage<HiveCounts> ready(Duration timeout) {
    return AskPattern.ask(matcher, MatcherProtocol.GetCounts::new, timeout, system.scheduler());
  }

  /**
   * The hive's counts: this node's copy when it is recent (the matcher pushes changes every {@code
   * counts-interval} and a heartbeat every second), else asked of the matcher.
   */
  public CompletionStage<HiveCounts> counts() {
    HiveCounts latest = fresh();
    return latest != null
        ? CompletableFuture.completedFuture(latest)
        : ready(settings.askTimeout());
  }

  /** This node's copy of the counts, unless it is older than two heartbeats (null then). */
  private HiveCounts fresh() {
    HiveCounts latest = counts.get();
    return latest != null && latest.at().isAfter(Instant.now().minus(COUNTS_RESUBSCRIBE))
        ? latest
        : null;
  }

  public CompletionStage<AgentView> registerAgent(AgentSpec spec) {
    return registerAgent(spec, Principal.HUB);
  }

  /** Registers an agent for {@code by}, who is journaled with it. */
  public CompletionStage<AgentView> registerAgent(AgentSpec spec, Principal by) {
    List<FieldError> errors = new ArrayList<>(spec.validate(skills.names()));
    errors.addAll(InputLimits.agent(spec, limits));
    if (errors.isEmpty()) {
      skills
          .find(spec.skill().name())
          .ifPresent(
              f ->
                  f.validateConfig(
                          spec.skill().config(), new SkillRules(limits, EgressPolicy.get(system)))
                      .forEach(
                          e ->
                              errors.add(
                                  new FieldError("skill.config." + e.field(), e.message()))));
    }
    if (!errors.isEmpty()) {
      return CompletableFuture.failedFuture(HiveException.invalid(errors));
    }
    String agentId = UUID.randomUUID().toString();
    return unwrap(
        sharding
            .entityRefFor(AgentActor.TYPE_KEY, agentId)
            .ask(
                (ActorRef<StatusReply<AgentView>> r) ->
                    new AgentProtocol.Register(spec, by.label(), r),
                settings.askTimeout()));
  }

  /** One agent as the matcher knows it: stats, proficiencies, what it runs. */
  public CompletionStage<Optional<AgentView>> agent(String agentId) {
    CompletionStage<StatusReply<AgentView>> reply =
        AskPattern.ask(
            matcher,
            (ActorRef<StatusReply<AgentView>> r) -> new MatcherProtocol.GetAgent(agentId, r),
            settings.askTimeout(),
            system.scheduler());
    return reply.thenApply(r -> r.isSuccess() ? Optional.of(r.getValue()) : Optional.empty());
  }

  /** Pauses, resumes or retires an agent; {@code drain} lets a retiring agent finish its tasks. */
  public CompletionStage<AgentView> changeAgentState(
      String agentId, AgentLifecycle.Transition transition, boolean drain) {
    return changeAgentState(agentId, transition, drain, Principal.HUB);
  }

  /** The same, asked by {@code by}, who is journaled with the change. */
  public CompletionStage<AgentView> changeAgentState(
      String agentId, AgentLifecycle.Transition transition, boolean drain, Principal by) {
    // the agent journals the change and the matcher answers, two hops
    return unwrap(
        sharding
            .entityRefFor(AgentActor.TYPE_KEY, agentId)
            .ask(
                (ActorRef<StatusReply<AgentView>> r) ->
                    new AgentProtocol.ChangeState(
                        transition, drain, by.label(), by.role().covers(Role.ADMIN), r),
                settings.askTimeout().multipliedBy(2)));
  }

  /** A submission's answer: the task, and whether this call created it or found it. */
  public record Submission(Task task, boolean created) {}

  /** Submits a task; completes only after the queue took it and it is journaled. */
  public CompletionStage<Task> submitTask(TaskSpec spec) {
    return submit(spec).thenApply(Submission::task);
  }

  /** Like {@link #submitTask}, telling a new task from one found by its idempotency key. */
  public CompletionStage<Submission> submit(TaskSpec submitted) {
    return submit(submitted, Principal.HUB);
  }

  /** Submits for {@code by}, who is journaled with the task. */
  public CompletionStage<Submission> submit(TaskSpec submitted, Principal by) {
    return submit(submitted, by, null);
  }

  /**
   * Submits for {@code by}; with tracing on, the task's span starts under {@code traceparent} (the
   * W3C header of the request that submitted it; null for none).
   */
  public CompletionStage<Submission> submit(TaskSpec submitted, Principal by, String traceparent) {
    return submit(submitted, by, traceparent, null);
  }

  /** The same, as task {@code taskId} (from {@link #taskIdFor}; null: chosen here). */
  public CompletionStage<Submission> submit(
      TaskSpec submitted, Principal by, String traceparent, String taskId) {
    List<FieldError> errors = new ArrayList<>(submitted.validate());
    errors.addAll(InputLimits.task(submitted, limits, ""));
    if (submitted.chunk() != null) {
      errors.add(new FieldError("chunk", "chunk tasks are made by the hub, not submitted"));
    }
    if (!errors.isEmpty()) {
      return CompletableFuture.failedFuture(HiveException.invalid(errors));
    }
    String id = taskId != null ? taskId : taskIdFor(submitted, by);
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
    HiveCounts latest = fresh();
    if (spec.idempotencyKey() == null
        && latest != null
        && latest.pending() >= settings.queueBound()) {
      // refused here, as the matcher would: a burst against a full queue wakes no entity
      return CompletableFuture.failedFuture(queueFull(settings.queueBound()));
    }
    boolean traced = tracing.submitting(taskId, traceparent);
    CompletionStage<Submission> submitted =
        tasks
            .submit(taskId, spec, by.label())
            .thenApply(
                reply -> {
                  if (reply instanceof TaskReplies.Accepted accepted) {
                    return new Submission(accepted.task(), accepted.created());
                  } else if (reply instanceof TaskReplies.QueueFull full) {
                    throw queueFull(full.bound());
                  }
                  throw new HiveException(
                      HiveException.Kind.UNAVAILABLE, ((TaskReplies.Unavailable) reply).message());
                });
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

  /** A task with dependencies: blocked (no place in the queue) until they end. */
  private CompletionStage<Submission> waiting(String taskId, TaskSpec spec, Principal by) {
    CompletionStage<Task> before =
        spec.idempotencyKey() == null
            ? CompletableFuture.completedFuture(Task.empty(taskId))
            : tasks.get(taskId);
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
        HiveException.Kind.QUEUE_FULL, "queue full: " + bound + " tasks are pending; retry later");
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

  public CompletionStage<Optional<Task>> task(String taskId) {
    return tasks.get(taskId).thenApply(t -> t.exists() ? Optional.of(t) : Optional.empty());
  }

  public CompletionStage<Task> cancelTask(String taskId) {
    return cancelTask(taskId, Principal.HUB);
  }

  public CompletionStage<Task> cancelTask(String taskId, Principal by) {
    return unwrap(tasks.cancel(taskId, by.label()));
  }

  /** Gives a failed task one more attempt. */
  public CompletionStage<Task> retryTask(String taskId) {
    return retryTask(taskId, Principal.HUB);
  }

  public CompletionStage<Task> retryTask(String taskId, Principal by) {
    return unwrap(tasks.retry(taskId, by.label()));
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
   * one's task back). Without a key, a new id. Public for the upload route, which names the task on
   * the upload's blob before it submits ({@link #submit(TaskSpec, Principal, String, String)}).
   */
  public static String taskIdFor(TaskSpec spec, Principal by) {
    if (spec.idempotencyKey() == null) {
      return UUID.randomUUID().toString();
    }
    byte[] key =
        ("idempotency-key:" + by.label() + ":" + spec.idempotencyKey())
            .getBytes(StandardCharsets.UTF_8);
    return UUID.nameUUIDFromBytes(key).toString();
  }

  private static <T> CompletionStage<T> unwrap(CompletionStage<StatusReply<T>> reply) {
    return HiveException.unwrap(reply);
  }
}
