package io.agenthive.task;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.pattern.StatusReply;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.CommandHandlerWithReplyBuilderByState;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.ReplyEffect;
import akka.persistence.typed.javadsl.RetentionCriteria;
import akka.Done;
import io.agenthive.board.TaskBoard;
import io.agenthive.dataset.DatasetJobs;
import io.agenthive.task.DatasetProgress;
import io.agenthive.common.CborSerializable;
import io.agenthive.common.HiveTags;
import io.agenthive.common.LocalOnly;
import io.agenthive.common.HiveSettings;
import io.agenthive.task.AssignmentReason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The durable record of one task: its spec, lifecycle and result. Sharded by task id.
 *
 * <p>Protocol: {@link Submit} (answered only after the board has queued the task and this entity
 * has journaled it), {@link Get}, {@link Cancel}; from agents {@link Start}; from the board
 * {@link Settle}. The entity is the authority on attempts: a settle for a stale attempt or agent
 * changes nothing, so no task completes twice. Retries and their backoff are decided here.
 * Failures (journal errors) go to supervision; invalid commands get typed replies.
 */
public final class TaskEntity
    extends EventSourcedBehaviorWithEnforcedReplies<TaskEntity.Command, TaskEvent, Task> {

  public static final EntityTypeKey<Command> TYPE_KEY =
      EntityTypeKey.create(Command.class, "Task");

  public sealed interface Command extends CborSerializable {}

  public record Submit(TaskSpec spec, ActorRef<SubmitReply> replyTo) implements Command {}

  public record Get(ActorRef<Task> replyTo) implements Command {}

  public record Cancel(ActorRef<StatusReply<Task>> replyTo) implements Command {}

  /** Gives a failed task one more attempt: queued again, then journaled, then answered. */
  public record Retry(ActorRef<StatusReply<Task>> replyTo) implements Command {}

  public record Start(String agentId, AssignmentReason reason, ActorRef<StartReply> replyTo)
      implements Command {}

  /** Ends {@code agentId}'s current attempt with {@code outcome}; answers where the task stands. */
  public record Settle(String agentId, Outcome outcome, ActorRef<Verdict> replyTo)
      implements Command {}

  /** Answers with the task once it has ended (at once if it has): how a dataset job waits. */
  public record AwaitEnd(ActorRef<Task> replyTo) implements Command {}

  /** A dataset job's checkpoint; refused unless the task is running. */
  public record RecordProgress(DatasetProgress progress, ActorRef<StatusReply<Done>> replyTo)
      implements Command {}

  /** A dataset job's end: its last checkpoint (null: keep the one journaled) and result. */
  public record FinishDataset(DatasetProgress progress, TaskResult result,
      ActorRef<StatusReply<Done>> replyTo) implements Command {}

  /** The dataset jobs' answer to starting this task's job (for a submission or a retry). */
  private record JobAdmission(TaskSpec spec, ActorRef<SubmitReply> submitTo,
      ActorRef<StatusReply<Task>> retryTo, Throwable error) implements Command, LocalOnly {}

  private record Admission(
      TaskSpec spec, ActorRef<SubmitReply> replyTo, TaskBoard.EnqueueReply reply, Throwable error)
      implements Command, LocalOnly {}

  private record Readmission(
      ActorRef<StatusReply<Task>> replyTo, TaskBoard.EnqueueReply reply, Throwable error)
      implements Command, LocalOnly {}

  public sealed interface SubmitReply extends CborSerializable {}

  public record Accepted(Task task, boolean created) implements SubmitReply {}

  public record QueueFull(int bound) implements SubmitReply {}

  public record Unavailable(String message) implements SubmitReply {}

  public sealed interface StartReply extends CborSerializable {}

  public record Run(int attempt, TaskSpec spec) implements StartReply {}

  public record Refused(TaskStatus status, String why) implements StartReply {}

  /** Where a task stands after a settle: terminal, or pending again not before {@code retryAt}. */
  public record Verdict(String taskId, TaskStatus status, Instant retryAt)
      implements CborSerializable {}

  /** Asks task {@code taskId} to settle {@code agentId}'s attempt; used by agents and the board. */
  public static CompletionStage<Verdict> settle(ActorSystem<?> system, String taskId,
      String agentId, Outcome outcome, Duration timeout) {
    return ClusterSharding.get(system).entityRefFor(TYPE_KEY, taskId)
        .ask((ActorRef<Verdict> replyTo) -> new Settle(agentId, outcome, replyTo), timeout);
  }

  private final String taskId;
  private final HiveSettings settings;
  private final ActorRef<TaskBoard.Command> board;
  private final ActorContext<Command> context;
  private final Clock clock;
  private final TaskDecisions decisions;
  private final ActorRef<DatasetJobs.Command> jobs;
  private final ActorRef<ClusterSharding.ShardCommand> shard;
  // Who waits for this task's end (soft: a waiter asks again after a move or restart).
  private final List<ActorRef<Task>> waiters = new ArrayList<>();
  // True while the board is asked to queue a new submission; other commands wait in the stash.
  private boolean admitting;

  /** {@code shard}: where a finished chunk task asks to be passivated (null: never). */
  public static Behavior<Command> create(String taskId, HiveSettings settings,
      ActorRef<TaskBoard.Command> board, ActorRef<DatasetJobs.Command> jobs,
      ActorRef<ClusterSharding.ShardCommand> shard, Clock clock) {
    return Behaviors.setup(ctx -> new TaskEntity(taskId, settings, board, jobs, shard, ctx, clock));
  }

  private TaskEntity(String taskId, HiveSettings settings, ActorRef<TaskBoard.Command> board,
      ActorRef<DatasetJobs.Command> jobs, ActorRef<ClusterSharding.ShardCommand> shard,
      ActorContext<Command> context, Clock clock) {
    super(PersistenceId.of(TYPE_KEY.name(), taskId), settings.journalFailureBackoff());
    this.taskId = taskId;
    this.settings = settings;
    this.board = board;
    this.jobs = jobs;
    this.shard = shard;
    this.context = context;
    this.clock = clock;
    this.decisions = new TaskDecisions(settings, clock);
  }

  @Override
  public Task emptyState() {
    return Task.empty(taskId);
  }

  @Override
  public java.util.Set<String> tagsFor(TaskEvent event) {
    return HiveTags.ALL_ONLY;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(settings.snapshotEvery(), 2);
  }

  @Override
  public CommandHandlerWithReply<Command, TaskEvent, Task> commandHandler() {
    CommandHandlerWithReplyBuilderByState<Command, TaskEvent, Task, Task> admittingState =
        newCommandHandlerWithReplyBuilder().forState(s -> admitting);
    admittingState
        .onCommand(Admission.class, this::onAdmission)
        .onCommand(Readmission.class, this::onReadmission)
        .onCommand(JobAdmission.class, this::onJobAdmission)
        .onAnyCommand(() -> Effect().stash());
    CommandHandlerWithReplyBuilderByState<Command, TaskEvent, Task, Task> anyState =
        newCommandHandlerWithReplyBuilder().forAnyState();
    anyState
        .onCommand(Submit.class, this::onSubmit)
        .onCommand(Get.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state))
        .onCommand(Cancel.class, this::onCancel)
        .onCommand(Retry.class, this::onRetry)
        .onCommand(Start.class, this::onStart)
        .onCommand(Settle.class, this::onSettle)
        .onCommand(AwaitEnd.class, this::onAwaitEnd)
        .onCommand(RecordProgress.class, this::onRecordProgress)
        .onCommand(FinishDataset.class, this::onFinishDataset)
        .onCommand(JobAdmission.class, (state, cmd) -> Effect().noReply())
        .onCommand(Admission.class, (state, cmd) -> Effect().noReply())
        .onCommand(Readmission.class, (state, cmd) -> Effect().noReply());
    return admittingState.orElse(anyState).build();
  }

  private ReplyEffect<TaskEvent, Task> onSubmit(Task state, Submit cmd) {
    if (state.exists()) {
      return Effect().reply(cmd.replyTo(), new Accepted(state, false));
    }
    TaskSpec spec = cmd.spec().withDefaults(settings.defaultMaxAttempts(), settings.defaultTimeout());
    admitting = true;
    if (spec.hasDataset()) {
      startJob(spec, cmd.replyTo(), null);
      return Effect().noReply();
    }
    context.ask(TaskBoard.EnqueueReply.class, board,
        settings.askTimeout(),
        replyTo -> new TaskBoard.Enqueue(taskId, spec.priority(), spec.requiredCapabilities(), replyTo),
        (reply, error) -> new Admission(spec, cmd.replyTo(), reply, error));
    return Effect().noReply();
  }

  private ReplyEffect<TaskEvent, Task> onAdmission(Task state, Admission cmd) {
    admitting = false;
    if (cmd.error() != null) {
      context.getLog().warn("Task [{}] not admitted: board did not answer", taskId, cmd.error());
      return Effect()
          .reply(cmd.replyTo(), new Unavailable("the task board did not answer; retry"))
          .thenUnstashAll();
    }
    if (cmd.reply() instanceof TaskBoard.QueueIsFull full) {
      return Effect().reply(cmd.replyTo(), new QueueFull(full.bound())).thenUnstashAll();
    }
    return Effect()
        .persist(new TaskEvent.TaskSubmitted(taskId, cmd.spec(), clock.instant()))
        .thenReply(cmd.replyTo(), s -> new Accepted(s, true))
        .thenUnstashAll();
  }

  private ReplyEffect<TaskEvent, Task> onCancel(Task state, Cancel cmd) {
    if (!state.exists()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("task " + taskId + " not found"));
    }
    if (state.status().isTerminal()) {
      return Effect().reply(cmd.replyTo(),
          StatusReply.error("task " + taskId + " is already " + state.status().label()));
    }
    return Effect()
        .persist(new TaskEvent.TaskCancelled("cancelled by request", clock.instant()))
        .thenRun(s -> {
          if (s.spec().hasDataset()) {
            jobs.tell(new DatasetJobs.Stop(taskId));
          } else {
            board.tell(new TaskBoard.Withdraw(taskId));
          }
          ended(s);
        })
        .thenReply(cmd.replyTo(), StatusReply::success);
  }

  private ReplyEffect<TaskEvent, Task> onRetry(Task state, Retry cmd) {
    if (!state.exists()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("task " + taskId + " not found"));
    }
    if (state.status() != TaskStatus.FAILED) {
      return Effect().reply(cmd.replyTo(), StatusReply.error(
          "task " + taskId + " is " + state.status().label() + "; only a failed task can be retried"));
    }
    admitting = true;
    TaskSpec spec = state.spec();
    if (spec.hasDataset()) {
      startJob(spec, null, cmd.replyTo());
      return Effect().noReply();
    }
    context.ask(TaskBoard.EnqueueReply.class, board, settings.askTimeout(),
        replyTo -> new TaskBoard.Enqueue(taskId, spec.priority(), spec.requiredCapabilities(),
            replyTo),
        (reply, error) -> new Readmission(cmd.replyTo(), reply, error));
    return Effect().noReply();
  }

  private ReplyEffect<TaskEvent, Task> onReadmission(Task state, Readmission cmd) {
    admitting = false;
    if (cmd.error() != null || cmd.reply() instanceof TaskBoard.QueueIsFull) {
      String why = cmd.error() != null ? "the task board did not answer; retry"
          : "queue full: " + ((TaskBoard.QueueIsFull) cmd.reply()).bound() + " tasks are pending";
      return Effect().reply(cmd.replyTo(), StatusReply.<Task>error(why)).thenUnstashAll();
    }
    return Effect()
        .persist(new TaskEvent.TaskRetryRequested(state.attempts() + 1, clock.instant()))
        .thenReply(cmd.replyTo(), StatusReply::success)
        .thenUnstashAll();
  }

  private ReplyEffect<TaskEvent, Task> onStart(Task state, Start cmd) {
    return decisions.start(state, cmd.agentId(), cmd.reason())
        .map(events -> Effect().persist(events)
            .thenReply(cmd.replyTo(), s -> startReply(s, cmd.agentId())))
        .orElseGet(() -> Effect().reply(cmd.replyTo(), startReply(state, cmd.agentId())));
  }

  /** Run when the task is running on this agent (a repeated start too), else why not. */
  private StartReply startReply(Task state, String agentId) {
    if (!state.exists()) {
      return new Refused(null, "task " + taskId + " was never submitted");
    }
    if (state.status() == TaskStatus.RUNNING || state.status() == TaskStatus.ASSIGNED) {
      return agentId.equals(state.assignedAgent())
          ? new Run(state.attempts(), state.spec())
          : new Refused(state.status(), "already running on " + state.assignedAgent());
    }
    return new Refused(state.status(), "task is " + state.status().label());
  }

  private ReplyEffect<TaskEvent, Task> onSettle(Task state, Settle cmd) {
    return decisions.settle(state, cmd.agentId(), cmd.outcome())
        .map(event -> Effect().persist(event).thenRun(this::ended)
            .thenReply(cmd.replyTo(), this::verdict))
        .orElseGet(() -> Effect().reply(cmd.replyTo(), verdict(state)));
  }

  /** The job is journaled as running before the task is: a crash between them is harmless. */
  private void startJob(TaskSpec spec, ActorRef<SubmitReply> submitTo,
      ActorRef<StatusReply<Task>> retryTo) {
    context.ask(Done.class, jobs, settings.askTimeout(),
        replyTo -> new DatasetJobs.Start(taskId, spec, replyTo),
        (done, error) -> new JobAdmission(spec, submitTo, retryTo, error));
  }

  private ReplyEffect<TaskEvent, Task> onJobAdmission(Task state, JobAdmission cmd) {
    admitting = false;
    if (cmd.error() != null) {
      context.getLog().warn("Dataset task [{}] not started: no answer", taskId, cmd.error());
      String why = "the dataset jobs did not answer; retry";
      return (cmd.submitTo() != null
          ? Effect().reply(cmd.submitTo(), new Unavailable(why))
          : Effect().reply(cmd.retryTo(), StatusReply.<Task>error(why))).thenUnstashAll();
    }
    Instant now = clock.instant();
    if (cmd.submitTo() != null) {
      return Effect()
          .persist(List.of(new TaskEvent.TaskSubmitted(taskId, cmd.spec(), now),
              new TaskEvent.TaskStarted(null, 1, now)))
          .thenReply(cmd.submitTo(), s -> new Accepted(s, true))
          .thenUnstashAll();
    }
    return Effect()
        // max_attempts is per chunk here: a retried dataset keeps its chunks' policy
        .persist(List.of(new TaskEvent.TaskRetryRequested(state.spec().maxAttempts(), now),
            new TaskEvent.TaskStarted(null, state.attempts() + 1, now)))
        .thenReply(cmd.retryTo(), StatusReply::success)
        .thenUnstashAll();
  }

  private ReplyEffect<TaskEvent, Task> onAwaitEnd(Task state, AwaitEnd cmd) {
    if (state.exists() && state.status().isTerminal()) {
      // a fast chunk ends before its job asks: woken only for this, it leaves memory again
      return Effect().none().thenRun(this::ended).thenReply(cmd.replyTo(), s -> s);
    }
    waiters.add(cmd.replyTo());
    return Effect().noReply();
  }

  private ReplyEffect<TaskEvent, Task> onRecordProgress(Task state, RecordProgress cmd) {
    if (!runningDataset(state)) {
      return Effect().reply(cmd.replyTo(), StatusReply.error(notRunning(state)));
    }
    return Effect().persist(new TaskEvent.TaskProgressed(cmd.progress(), clock.instant()))
        .thenReply(cmd.replyTo(), s -> StatusReply.ack());
  }

  private ReplyEffect<TaskEvent, Task> onFinishDataset(Task state, FinishDataset cmd) {
    if (!runningDataset(state)) {
      return Effect().reply(cmd.replyTo(), StatusReply.error(notRunning(state)));
    }
    return Effect().persist(decisions.finishDataset(state, cmd.progress(), cmd.result()))
        .thenRun(this::ended)
        .thenReply(cmd.replyTo(), s -> StatusReply.ack());
  }

  private static boolean runningDataset(Task state) {
    return state.exists() && state.spec().hasDataset() && state.status() == TaskStatus.RUNNING;
  }

  private String notRunning(Task state) {
    return state.exists() ? "task " + taskId + " is " + state.status().label()
        : "task " + taskId + " not found";
  }

  /** Answers whoever waits for the end; a finished chunk task leaves memory at once. */
  private void ended(Task state) {
    if (!state.exists() || !state.status().isTerminal()) {
      return;
    }
    waiters.forEach(w -> w.tell(state));
    waiters.clear();
    if (shard != null && state.spec().chunk() != null) {
      shard.tell(new ClusterSharding.Passivate<>(context.getSelf()));
    }
  }

  private Verdict verdict(Task state) {
    return new Verdict(taskId, state.status(), state.retryAt());
  }

  @Override
  public EventHandler<Task, TaskEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(Task::apply);
  }
}
