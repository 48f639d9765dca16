package io.agenthive.workflow;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.sharding.typed.ClusterShardingSettings;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.pattern.StatusReply;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.RecoveryCompleted;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.ReplyEffect;
import akka.persistence.typed.javadsl.SignalHandler;
import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.common.HiveSettings;
import io.agenthive.common.Refusal;
import io.agenthive.task.Task;
import io.agenthive.task.TaskEntity;
import io.agenthive.task.TaskProtocol;
import io.agenthive.task.TaskReplies;
import io.agenthive.workflow.WorkflowProtocol.*;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A workflow: the one event that accepts all its steps, and the driver that carries them out. It
 * submits each step's task (a step with dependencies is journaled blocked), watches every task it
 * depends on, and releases a blocked step once all of its dependencies ended, with their outputs,
 * or fails it with {@code dependency_failed}. Every one of those messages is idempotent at the
 * task, so after a crash the workflow simply does them again.
 *
 * <p>Sharded with remember-entities: a workflow that has not ended is started again by sharding
 * after a restart or failover, without anyone asking for it; it leaves (and is forgotten) when its
 * last step ends. What it learned from its tasks is kept in memory only ({@link WorkflowProgress});
 * a timer re-does submissions, watches and releases that may have been lost (a task that left
 * memory forgets who waited for it).
 */
public final class WorkflowEntity
    extends EventSourcedBehaviorWithEnforcedReplies<Command, WorkflowEvent, Workflow> {

  public static final EntityTypeKey<Command> TYPE_KEY =
      EntityTypeKey.create(Command.class, "Workflow");

  private final String workflowId;
  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final ActorRef<ClusterSharding.ShardCommand> shard;
  private final HiveSettings settings;
  // its journal tags, the same for each of its events
  private final Set<String> tags;
  private final Duration rewatch;
  private final Clock clock;
  private final ClusterSharding sharding;
  private final ActorRef<Task> endings;
  private WorkflowProgress progress;
  private ActorRef<StatusReply<Workflow>> creator;
  private int answersDue;
  // consensus tallies being released, with the output to signal once they are: memory only, the
  // tally's journal keeps the signal, and a restarted workflow computes the same output again
  private final Map<String, JsonNode> tallies = new HashMap<>();

  /**
   * Shards workflows on this node. A workflow that has not ended must come back after a crash, so
   * sharding remembers it; it leaves (and is forgotten) itself when its last step ends.
   */
  public static void init(ActorSystem<?> system, HiveSettings settings, Clock clock) {
    Duration rewatch = system.settings().config().getDuration("hive.workflows.rewatch-interval");
    ClusterSharding.get(system)
        .init(
            Entity.of(
                    TYPE_KEY,
                    entity ->
                        create(entity.getEntityId(), settings, rewatch, entity.getShard(), clock))
                .withStopMessage(Stop.INSTANCE)
                .withSettings(ClusterShardingSettings.create(system).withRememberEntities(true)));
  }

  public static Behavior<Command> create(
      String workflowId,
      HiveSettings settings,
      Duration rewatch,
      ActorRef<ClusterSharding.ShardCommand> shard,
      Clock clock) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers ->
                    new WorkflowEntity(workflowId, ctx, timers, shard, settings, rewatch, clock)));
  }

  private WorkflowEntity(
      String workflowId,
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      ActorRef<ClusterSharding.ShardCommand> shard,
      HiveSettings settings,
      Duration rewatch,
      Clock clock) {
    super(PersistenceId.of(TYPE_KEY.name(), workflowId), settings.journalFailureBackoff());
    this.workflowId = workflowId;
    this.context = context;
    this.timers = timers;
    this.shard = shard;
    this.settings = settings;
    this.tags = settings.tagsFor(persistenceId().id());
    this.rewatch = rewatch;
    this.clock = clock;
    this.sharding = ClusterSharding.get(context.getSystem());
    this.endings = context.messageAdapter(Task.class, Ended::new);
  }

  @Override
  public Workflow emptyState() {
    return Workflow.empty(workflowId);
  }

  @Override
  public Set<String> tagsFor(WorkflowEvent event) {
    return tags;
  }

  @Override
  public SignalHandler<Workflow> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(
            RecoveryCompleted.instance(),
            state -> {
              if (state.exists() && state.endedAs() == null) {
                drive(state); // started again after a restart: redo what may not have happened
              } else if (state.exists()) {
                leave(); // it ended: woken only to be read, it is not to be remembered
              }
            })
        .build();
  }

  @Override
  public CommandHandlerWithReply<Command, WorkflowEvent, Workflow> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Create.class, this::onCreate)
        .onCommand(Get.class, this::onGet)
        .onCommand(Cancel.class, this::onCancel)
        .onCommand(Submitted.class, this::onSubmitted)
        .onCommand(Ended.class, this::onEnded)
        .onCommand(Settled.class, this::onSettled)
        .onCommand(Tick.class, (s, cmd) -> tick(s))
        .onCommand(Stop.class, (s, cmd) -> Effect().stop().thenNoReply())
        .build();
  }

  private ReplyEffect<WorkflowEvent, Workflow> onCreate(Workflow state, Create cmd) {
    if (state.exists()) {
      return Effect().reply(cmd.replyTo(), StatusReply.success(state));
    }
    return Effect()
        .persist(
            new WorkflowEvent.WorkflowSubmitted(
                workflowId, cmd.name(), cmd.nodes(), clock.instant(), cmd.by()))
        .thenRun(
            s -> {
              creator = cmd.replyTo();
              answersDue = s.nodes().size();
              drive(s);
            })
        .thenNoReply();
  }

  private ReplyEffect<WorkflowEvent, Workflow> onGet(Workflow state, Get cmd) {
    if (!state.exists()) {
      leave(); // asked for a workflow that does not exist: nothing to remember
    }
    return Effect().reply(cmd.replyTo(), state);
  }

  private ReplyEffect<WorkflowEvent, Workflow> onCancel(Workflow state, Cancel cmd) {
    if (!state.exists()) {
      leave(); // asked about a workflow that does not exist: nothing to remember
      return Effect()
          .reply(
              cmd.replyTo(),
              StatusReply.error(new Refusal.NotFound("workflow " + workflowId + " not found")));
    }
    if (state.cancelled() || state.endedAs() != null) {
      return Effect()
          .reply(
              cmd.replyTo(),
              StatusReply.error(
                  new Refusal.Conflict(
                      "workflow " + workflowId + " is already " + state.status())));
    }
    return Effect()
        .persist(new WorkflowEvent.WorkflowCancelled(clock.instant(), cmd.by()))
        .thenRun(s -> progress.unendedSteps().forEach(id -> cancel(id, cmd.by())))
        .thenReply(cmd.replyTo(), StatusReply::success);
  }

  private ReplyEffect<WorkflowEvent, Workflow> onSubmitted(Workflow state, Submitted cmd) {
    if (cmd.ok()) {
      progress.accepted(cmd.taskId());
      if (state.cancelled()) {
        cancel(cmd.taskId(), null); // submitted again after a restart, after the cancel
      }
    }
    if (creator != null && --answersDue <= 0) {
      creator.tell(StatusReply.success(state));
      creator = null;
    }
    return settle(state);
  }

  private ReplyEffect<WorkflowEvent, Workflow> onEnded(Workflow state, Ended cmd) {
    if (progress == null || !progress.ended(cmd.task())) {
      return Effect().noReply();
    }
    tallies.remove(cmd.task().id());
    if (progress.allEnded() && state.endedAs() == null) {
      return Effect()
          .persist(
              new WorkflowEvent.WorkflowEnded(progress.outcome(state.cancelled()), clock.instant()))
          .thenRun(s -> leave())
          .thenNoReply();
    }
    return settle(state);
  }

  private ReplyEffect<WorkflowEvent, Workflow> onSettled(Workflow state, Settled cmd) {
    progress.settled(cmd.taskId(), cmd.ok());
    if (cmd.ok()) {
      signalTally(cmd.taskId());
    }
    return Effect().noReply();
  }

  /**
   * Sends a released tally its result. Sent again on every tick until the tally ends (a signal lost
   * with a node, or a write that failed, would otherwise leave the step waiting forever); a tally
   * that took one refuses the next, so it is decided once.
   */
  private void signalTally(String taskId) {
    JsonNode tally = tallies.get(taskId);
    if (tally != null) {
      task(taskId)
          .tell(
              new TaskProtocol.Signal(
                  ConsensusSteps.SIGNAL, tally, "consensus", context.getSystem().ignoreRef()));
    }
  }

  private ReplyEffect<WorkflowEvent, Workflow> tick(Workflow state) {
    if (progress != null && state.endedAs() == null) {
      drive(state);
    }
    return Effect().noReply();
  }

  /** Submits what is not yet accepted, watches what has not ended, releases what may run. */
  private void drive(Workflow state) {
    if (progress == null) {
      progress = new WorkflowProgress(state.nodes());
      timers.startTimerWithFixedDelay(Tick.INSTANCE, rewatch);
    }
    for (WorkflowNode n : progress.unsubmitted()) {
      context.ask(
          TaskReplies.SubmitReply.class,
          task(n.taskId()),
          settings.askTimeout().multipliedBy(2),
          r -> new TaskProtocol.Submit(n.spec(), state.by(), r),
          (reply, error) -> new Submitted(n.taskId(), reply instanceof TaskReplies.Accepted));
    }
    progress.unended().forEach(id -> task(id).tell(new TaskProtocol.AwaitEnd(endings)));
    java.util.List.copyOf(tallies.keySet())
        .forEach(this::signalTally); // a released tally not ended yet
    if (state.cancelled()) {
      progress.unendedSteps().forEach(id -> cancel(id, null)); // a cancel lost in a crash
    }
    settle(state);
  }

  /** Releases (or fails) every blocked step whose dependencies have all ended. */
  private ReplyEffect<WorkflowEvent, Workflow> settle(Workflow state) {
    if (state.cancelled()) {
      return Effect().noReply(); // cancelled: nothing more starts
    }
    for (WorkflowProgress.Decision d : progress.ready()) {
      String id = d.node().taskId();
      if (d.failed() == null && ConsensusSteps.isTally(d.node())) {
        tallies.put(id, ConsensusTally.of(d.node().spec().input(), d.outputs(), progress::agentOf));
      }
      context.askWithStatus(
          Task.class,
          task(id),
          settings.askTimeout().multipliedBy(2),
          r ->
              d.failed() == null
                  ? new TaskProtocol.Release(d.outputs(), r)
                  : new TaskProtocol.FailDependency(d.failed(), r),
          (t, error) -> new Settled(id, error == null));
    }
    return Effect().noReply();
  }

  /** Leaves memory; with remember-entities that also means it is not started again. */
  private void leave() {
    shard.tell(new ClusterSharding.Passivate<>(context.getSelf()));
  }

  private EntityRef<TaskProtocol.Command> task(String taskId) {
    return sharding.entityRefFor(TaskEntity.TYPE_KEY, taskId);
  }

  /** Cancels a step's task; a step that ended meanwhile refuses, which changes nothing. */
  private void cancel(String taskId, String by) {
    task(taskId).tell(new TaskProtocol.Cancel(by, context.getSystem().ignoreRef()));
  }

  @Override
  public EventHandler<Workflow, WorkflowEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(Workflow::apply);
  }
}
