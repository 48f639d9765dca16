package io.agenthive.task;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.japi.function.Function;
import akka.japi.function.Function2;
import akka.pattern.StatusReply;
import akka.persistence.typed.EventAdapter;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.SnapshotSelectionCriteria;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.CommandHandlerWithReplyBuilderByState;
import akka.persistence.typed.javadsl.EffectBuilder;
import akka.persistence.typed.javadsl.EffectFactories;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.Recovery;
import akka.persistence.typed.javadsl.ReplyEffect;
import io.agenthive.common.HiveMdc;
import io.agenthive.common.HiveSettings;
import io.agenthive.common.Refusal;
import io.agenthive.task.TaskProtocol.*;
import io.agenthive.task.TaskReplies.Accepted;
import io.agenthive.task.TaskReplies.Verdict;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * The durable record of one task: its spec, lifecycle and result. Sharded by task id.
 *
 * <p>Protocol: {@link Submit} (answered only after the queue gave the task a place and this entity
 * journaled it), {@link Get}, {@link Cancel}, {@link Retry}; from agents {@link Start} and {@link
 * Settle}; from dataset jobs {@link AwaitEnd} and the {@link DatasetCommands}; for what waits for a
 * clock, a person or a signal {@link Wake} (from the matcher's timers), {@link Decide} and {@link
 * Signal} ({@link TaskGateHandlers}). The entity is the authority on attempts: it starts only a
 * pending task, and a settle for a stale attempt or agent changes nothing, so a matcher that is
 * briefly wrong costs a retry, never a double completion. Every status change it journals is
 * reported to the {@link TaskQueue}.
 *
 * <p>Persistence: three events for a task that succeeds first time; no snapshots (a task has few
 * events), so a new task recovers with one query. A task that ended leaves memory at once. Journal
 * failures restart it with backoff; invalid commands get typed replies.
 */
public final class TaskEntity
    extends EventSourcedBehaviorWithEnforcedReplies<TaskProtocol.Command, TaskEvent, Task> {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Task");

  public static final int ANY_ATTEMPT = TaskDecisions.CURRENT_ATTEMPT;

  /**
   * What a task entity is wired to: where it queues, how dataset jobs run, its shard, where its
   * attempts' spending goes.
   */
  public record Links(
      TaskQueue queue,
      DatasetRunner datasets,
      ActorRef<ClusterSharding.ShardCommand> shard,
      TaskSpending spending) {
    public Links(
        TaskQueue queue, DatasetRunner datasets, ActorRef<ClusterSharding.ShardCommand> shard) {
      this(queue, datasets, shard, TaskSpending.NONE);
    }
  }

  private final String taskId;
  private final HiveSettings settings;
  // its journal tags, the same for each of its events
  private final Set<String> tags;
  private final Links links;
  private final ActorContext<Command> context;
  private final Clock clock;
  private final TaskDecisions decisions;
  private final TaskMetrics observed;
  private final TaskDependencyHandlers dependencies = new TaskDependencyHandlers(this);
  private final DatasetTaskHandlers datasetTasks = new DatasetTaskHandlers(this);
  private final TaskAdmission admission = new TaskAdmission(this);
  private final TaskGateHandlers gates = new TaskGateHandlers(this);
  private final TaskAwaitHandlers awaits;
  // Who waits for this task's end (soft: a waiter asks again after a move or restart).
  private final List<ActorRef<Task>> waiters = new ArrayList<>();
  // True while the queue or the dataset jobs are asked about a submission; others are stashed.
  private boolean admitting;
  // the request whose submission this incarnation journaled (or tries to): its later tries are
  // told "created". In memory only: a try that meets a moved entity is told "already there"
  private String creatingRequest;
  // True once this incarnation asked its shard to let it leave memory.
  private boolean leaving;

  /**
   * Shards task entities on this node. A task that ended leaves memory at once (its shard is told
   * to let it go), and it is stopped with {@link Stop} so a command that came before is answered.
   */
  public static void init(
      ActorSystem<?> system,
      HiveSettings settings,
      TaskQueue queue,
      DatasetRunner datasets,
      TaskSpending spending,
      Clock clock) {
    ClusterSharding.get(system)
        .init(
            Entity.of(
                    TYPE_KEY,
                    entity ->
                        create(
                            entity.getEntityId(),
                            settings,
                            new Links(queue, datasets, entity.getShard(), spending),
                            clock))
                .withStopMessage(Stop.INSTANCE));
  }

  public static Behavior<Command> create(
      String taskId, HiveSettings settings, Links links, Clock clock) {
    return Behaviors.setup(ctx -> new TaskEntity(taskId, settings, links, ctx, clock));
  }

  private TaskEntity(
      String taskId,
      HiveSettings settings,
      Links links,
      ActorContext<Command> context,
      Clock clock) {
    super(PersistenceId.of(TYPE_KEY.name(), taskId), settings.journalFailureBackoff());
    this.taskId = taskId;
    this.settings = settings;
    this.tags = settings.tagsFor(persistenceId().id());
    this.links = links;
    this.context = context;
    this.clock = clock;
    this.decisions = new TaskDecisions(settings, clock);
    this.observed = new TaskMetrics(context.getSystem());
    this.awaits = new TaskAwaitHandlers(this, gates, dependencies, context, settings.askTimeout());
  }

  @Override
  public Task emptyState() {
    return Task.empty(taskId);
  }

  @Override
  public Set<String> tagsFor(TaskEvent event) {
    return tags;
  }

  /** Seals the payloads of a task that names a subject (docs/erasure.md). */
  @Override
  public EventAdapter<TaskEvent, ?> eventAdapter() {
    return new TaskJournalForm(TaskSealing.get(context.getSystem()));
  }

  @Override
  public Recovery recovery() {
    // tasks are never snapshotted: asking the snapshot store would cost every new task a query
    return Recovery.withSnapshotSelectionCriteria(SnapshotSelectionCriteria.none());
  }

  @Override
  public CommandHandlerWithReply<Command, TaskEvent, Task> commandHandler() {
    CommandHandlerWithReplyBuilderByState<Command, TaskEvent, Task, Task> admittingState =
        newCommandHandlerWithReplyBuilder().forState(s -> admitting);
    admittingState
        .onCommand(TaskAdmission.Answered.class, admission::onAnswer)
        .onCommand(
            cmd -> cmd instanceof Submit submit && admission.isLaterTry(submit),
            (state, cmd) -> admission.joinLaterTry((Submit) cmd))
        .onAnyCommand(() -> Effect().stash());
    CommandHandlerWithReplyBuilderByState<Command, TaskEvent, Task, Task> damagedState =
        newCommandHandlerWithReplyBuilder().forState(Task::damaged);
    DamagedTaskHandlers.register(damagedState, this);
    CommandHandlerWithReplyBuilderByState<Command, TaskEvent, Task, Task> anyState =
        newCommandHandlerWithReplyBuilder().forAnyState();
    anyState
        .onCommand(Submit.class, this::onSubmit)
        // a read wakes an ended task only to answer, and a read of an id never submitted (a
        // random id, say) wakes nothing worth keeping: either leaves memory again at once
        .onCommand(
            Get.class,
            (state, cmd) ->
                Effect().none().thenRun(this::endedOrNothing).thenReply(cmd.replyTo(), s -> s))
        .onCommand(Cancel.class, this::onCancel)
        .onCommand(Retry.class, this::onRetry)
        .onCommand(Start.class, this::onStart)
        .onCommand(Settle.class, this::onSettle)
        .onCommand(Release.class, dependencies::onRelease)
        .onCommand(FailDependency.class, dependencies::onFailDependency)
        .onCommand(AwaitEnd.class, this::onAwaitEnd)
        .onCommand(Wake.class, awaits::onWake)
        .onCommand(TaskProtocol.ChildEnded.class, awaits::onChildEnded)
        .onCommand(TaskAwaitHandlers.SubtasksLooked.class, awaits::onLooked)
        .onCommand(Decide.class, gates::onDecide)
        .onCommand(Signal.class, gates::onSignal)
        .onCommand(DatasetCommands.RecordProgress.class, datasetTasks::onRecordProgress)
        .onCommand(DatasetCommands.FinishDataset.class, datasetTasks::onFinishDataset)
        .onCommand(Stop.class, (state, cmd) -> Effect().stop().thenNoReply())
        .onCommand(
            Forget.class, (state, cmd) -> Effect().none().thenRun(s -> leave()).thenNoReply())
        .onCommand(TaskAdmission.Answered.class, (state, cmd) -> Effect().noReply());
    return admittingState.orElse(damagedState).orElse(anyState).build();
  }

  private ReplyEffect<TaskEvent, Task> onSubmit(Task state, Submit cmd) {
    if (state.exists()) {
      boolean ours = cmd.request() != null && cmd.request().equals(creatingRequest);
      return Effect().reply(cmd.replyTo(), new Accepted(state, ours));
    }
    creatingRequest = cmd.request();
    TaskSpec spec =
        cmd.spec().withDefaults(settings.defaultMaxAttempts(), settings.defaultTimeout());
    Instant now = now(); // one reading: the status checked is the status the event gives
    if (spec.waits() || spec.readyStatus(now) != TaskStatus.PENDING) {
      // blocked, scheduled, or a step for a person or a signal: it takes a place in the queue
      // only when its workflow releases it or its time comes, and an approval or a wait never
      return persistAndReport(state, new TaskEvent.TaskSubmitted(taskId, spec, now, cmd.by()))
          .thenReply(cmd.replyTo(), s -> new Accepted(s, true));
    }
    return admission.ask(
        state, spec, new TaskAdmission.ToSubmit(spec, cmd.by(), cmd.request(), cmd.replyTo()));
  }

  private ReplyEffect<TaskEvent, Task> onCancel(Task state, Cancel cmd) {
    if (!state.exists()) {
      return refuse(cmd.replyTo(), new Refusal.NotFound("task " + taskId + " not found"));
    }
    if (state.status().isTerminal()) {
      return refuse(
          cmd.replyTo(),
          new Refusal.Conflict("task " + taskId + " is already " + state.status().label()));
    }
    // the queue hears of it and stops the agent running it, if any
    return persistAndReport(
            state, new TaskEvent.TaskCancelled("cancelled by request", clock.instant(), cmd.by()))
        .thenRun(
            s -> {
              if (s.spec().hasDataset()) {
                links.datasets().stop(taskId);
              }
            })
        .thenReply(cmd.replyTo(), StatusReply::success);
  }

  private ReplyEffect<TaskEvent, Task> onRetry(Task state, Retry cmd) {
    Refusal no = TaskRetryRule.refusal(taskId, state);
    if (no != null) {
      return refuse(cmd.replyTo(), no);
    }
    return admission.ask(state, state.spec(), new TaskAdmission.ToRetry(cmd.by(), cmd.replyTo()));
  }

  private ReplyEffect<TaskEvent, Task> onStart(Task state, Start cmd) {
    return decisions
        .start(state, cmd.agentId(), cmd.reason())
        .map(
            event ->
                persistAndReport(state, event)
                    .thenReply(cmd.replyTo(), s -> decisions.startReply(s, cmd.agentId())))
        .orElseGet(() -> answerOnly(cmd.replyTo(), s -> decisions.startReply(s, cmd.agentId())));
  }

  private ReplyEffect<TaskEvent, Task> onSettle(Task state, Settle cmd) {
    return decisions
        .settle(state, cmd.agentId(), cmd.attempt(), cmd.outcome(), cmd.agentOutcome())
        .map(
            event -> persistAndReport(state, event).thenReply(cmd.replyTo(), s -> verdict(s, true)))
        .orElseGet(() -> answerOnly(cmd.replyTo(), s -> verdict(s, false)));
  }

  // nothing journaled; a task the journal does not hold leaves memory at once: a node that was
  // frozen may still write it, and this incarnation would answer "unknown" for as long as it stayed
  private <R> ReplyEffect<TaskEvent, Task> answerOnly(ActorRef<R> to, Function<Task, R> reply) {
    return Effect().none().thenRun(this::leaveIfNothing).thenReply(to, reply);
  }

  private ReplyEffect<TaskEvent, Task> onAwaitEnd(Task state, AwaitEnd cmd) {
    if (state.exists() && state.status().isTerminal()) {
      // a fast chunk ends before its job asks: woken only for this, it leaves memory again
      return Effect().none().thenRun(this::ended).thenReply(cmd.replyTo(), s -> s);
    }
    if (!waiters.contains(cmd.replyTo())) {
      waiters.add(cmd.replyTo()); // a workflow that asks again after a while waits once
    }
    return Effect().noReply();
  }

  private ReplyEffect<TaskEvent, Task> refuse(ActorRef<StatusReply<Task>> replyTo, Refusal why) {
    return Effect().reply(replyTo, StatusReply.error(why));
  }

  // what the dependency handlers use of this entity
  EffectFactories<TaskEvent, Task> effects() {
    return Effect();
  }

  TaskDecisions decisions() {
    return decisions;
  }

  void admitting(boolean now) {
    admitting = now;
  }

  TaskQueue queue() {
    return links.queue();
  }

  DatasetRunner datasets() {
    return links.datasets();
  }

  TaskAdmission admission() {
    return admission;
  }

  Instant now() {
    return clock.instant();
  }

  <T> void pipeToSelf(CompletionStage<T> future, Function2<T, Throwable, Command> adapt) {
    context.pipeToSelf(future, adapt);
  }

  EffectBuilder<TaskEvent, Task> persistAndReport(Task before, TaskEvent event) {
    return persistAndReport(before, List.of(event));
  }

  /** Persists, then tells the queue how the status changed and wakes whoever awaits the end. */
  EffectBuilder<TaskEvent, Task> persistAndReport(Task before, List<TaskEvent> events) {
    return Effect()
        .persist(events)
        .thenRun(
            after -> {
              observed.changed(before, after);
              if (after.status() == TaskStatus.WAITING_FOR_APPROVAL
                  && before.status() != TaskStatus.WAITING_FOR_APPROVAL) {
                ApprovalWebhook.get(context.getSystem()).opened(after);
              }
              links.spending().journaled(after, events);
              if (after.status() != before.status() || after.attempts() != before.attempts()) {
                links.queue().changed(TaskChanges.between(before, after, events, clock.instant()));
              }
              awaits.afterChange(before, after);
              ended(after);
            });
  }

  /** A warning about this task, with its id in the MDC. */
  void warn(String format, Throwable error) {
    HiveMdc.about(taskId, null, () -> context.getLog().warn(format, taskId, error));
  }

  /** Woken only to answer (a read, a refusal): an ended task or an unknown id leaves memory. */
  void endedOrNothing(Task state) {
    ended(state);
    leaveIfNothing(state);
  }

  /** A submission refused before anything was journaled leaves nothing to keep in memory. */
  void leaveIfNothing(Task state) {
    if (!state.exists()) {
      leave();
    }
  }

  private void leave() {
    if (links.shard() != null && !leaving) {
      leaving = true;
      links.shard().tell(new ClusterSharding.Passivate<>(context.getSelf()));
    }
  }

  /** Answers whoever waits for the end; a task that ended leaves memory at once. */
  void ended(Task state) {
    if (!state.exists() || !state.status().isTerminal()) {
      return;
    }
    waiters.forEach(w -> w.tell(state));
    waiters.clear();
    leave();
  }

  Verdict verdict(Task state, boolean ended) {
    return new Verdict(taskId, state.status(), state.retryAt(), ended);
  }

  @Override
  public EventHandler<Task, TaskEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(Task::apply);
  }
}
