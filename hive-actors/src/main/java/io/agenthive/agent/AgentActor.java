package io.agenthive.agent;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.ChildFailed;
import akka.actor.typed.PreRestart;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.actor.typed.receptionist.Receptionist;
import akka.actor.typed.receptionist.ServiceKey;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.pattern.StatusReply;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.RecoveryCompleted;
import akka.persistence.typed.javadsl.CommandHandler;
import akka.persistence.typed.javadsl.Effect;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehavior;
import akka.persistence.typed.javadsl.RetentionCriteria;
import akka.persistence.typed.javadsl.SignalHandler;
import io.agenthive.board.AgentStatus;
import io.agenthive.board.TaskBoard;
import io.agenthive.common.CborSerializable;
import io.agenthive.common.HiveTags;
import io.agenthive.common.LocalOnly;
import io.agenthive.common.HiveSettings;
import io.agenthive.task.AssignmentReason;
import io.agenthive.skill.SkillRegistry;
import io.agenthive.skill.SkillResult;
import io.agenthive.task.Outcome;
import io.agenthive.task.TaskEntity;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * One agent: registration, stats and proficiencies are journaled; each task it runs is a child
 * {@code run-<taskId>-<attempt>} whose failure fails that attempt only.
 *
 * <p>Protocol: {@link Register}, {@link GetView}; from the board {@link ReportStatus}, {@link
 * Execute}, {@link CancelRun}. It starts a task with the task entity (which journals the
 * assignment), runs it with the task's timeout, learns from the outcome, then reports to the
 * board. Supervision: spawned by the coordinator with restart-with-backoff; each restart is
 * journaled as {@code AgentCrashed}, and past the crash limit the agent is marked failed rather
 * than looping. Its run dies with it; the board re-queues that task when the agent reports back.
 */
public final class AgentActor
    extends EventSourcedBehavior<AgentActor.Command, AgentEvent, Agent> {

  public static final ServiceKey<Command> SERVICE_KEY =
      ServiceKey.create(Command.class, "hive-agent");
  public static final String ENTITY_TYPE = "Agent";

  public interface Command extends CborSerializable {}

  public record Register(AgentSpec spec, ActorRef<StatusReply<AgentView>> replyTo)
      implements Command {}

  public record GetView(ActorRef<StatusReply<AgentView>> replyTo) implements Command {}

  /** The board asks who this agent is; {@code dispatchesUpTo} is echoed back for reconciling. */
  public record ReportStatus(ActorRef<TaskBoard.Command> board, long dispatchesUpTo)
      implements Command {}

  public record Execute(String taskId, AssignmentReason reason, ActorRef<TaskBoard.Command> board)
      implements Command {}

  public record CancelRun(String taskId) implements Command {}

  /** Pause, resume or retire. Retire with {@code drain} lets a running task finish first. */
  public record ChangeState(AgentLifecycle.Transition transition, boolean drain,
      ActorRef<StatusReply<AgentView>> replyTo) implements Command {}

  record RunFinished(String taskId, int attempt, SkillResult result, long durationMs)
      implements Command, LocalOnly {}

  private record StartAnswered(String taskId, TaskEntity.StartReply reply, Throwable error)
      implements Command, LocalOnly {}

  record RunTimedOut(String taskId, int attempt) implements Command, LocalOnly {}

  private record RunCrashed(ActorRef<Void> run, String error) implements Command, LocalOnly {}

  private record RecordCrash(String reason) implements Command, LocalOnly {}

  private record Settled(String taskId, Outcome outcome, TaskEntity.Verdict verdict)
      implements Command, LocalOnly {}

  private final String agentId;
  private final ActorContext<Command> context;
  private final HiveSettings settings;
  private final ActorRef<TaskBoard.Command> board;
  private final Clock clock;
  private final AgentRuns runs;

  public static Behavior<Command> create(String agentId, HiveSettings settings,
      ActorRef<TaskBoard.Command> board, SkillRegistry skills, Clock clock) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new AgentActor(agentId, ctx, timers, settings, board, skills, clock)));
  }

  private AgentActor(String agentId, ActorContext<Command> context, TimerScheduler<Command> timers,
      HiveSettings settings, ActorRef<TaskBoard.Command> board, SkillRegistry skills, Clock clock) {
    super(PersistenceId.of(ENTITY_TYPE, agentId), settings.journalFailureBackoff());
    this.agentId = agentId;
    this.context = context;
    this.settings = settings;
    this.board = board;
    this.clock = clock;
    this.runs = new AgentRuns(agentId, context, timers, skills);
  }

  @Override
  public Agent emptyState() {
    return Agent.empty(agentId);
  }

  @Override
  public java.util.Set<String> tagsFor(AgentEvent event) {
    return HiveTags.ALL_ONLY;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(settings.snapshotEvery(), 2);
  }

  @Override
  public SignalHandler<Agent> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), state -> {
          if (state.registered() && state.state() != AgentState.RETIRED) {
            announce(state);
          }
        })
        // the restarted incarnation journals the crash: a signal handler cannot persist
        .onSignal(PreRestart.instance(), state ->
            context.getSelf().tell(new RecordCrash("agent actor failed and was restarted")))
        .onSignal(Terminated.class, (state, signal) -> context.getSelf().tell(new RunCrashed(
            signal.getRef().unsafeUpcast(),
            signal instanceof ChildFailed failed
                ? TaskRun.describe(failed.getCause())
                : "run stopped without a result")))
        .build();
  }

  @Override
  public CommandHandler<Command, AgentEvent, Agent> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Register.class, this::onRegister)
        .onCommand(GetView.class, (state, cmd) -> {
          cmd.replyTo().tell(state.registered()
              ? StatusReply.success(view(state))
              : StatusReply.error("agent " + agentId + " not found"));
          return Effect().none();
        })
        .onCommand(ReportStatus.class, (state, cmd) -> {
          if (state.registered()) {
            cmd.board().tell(status(state, cmd.dispatchesUpTo()));
          }
          return Effect().none();
        })
        .onCommand(Execute.class, this::onExecute)
        .onCommand(StartAnswered.class, this::onStartAnswered)
        .onCommand(RunFinished.class, (state, cmd) -> runs.finished(cmd)
            .map(outcome -> record(state, outcome)).orElseGet(Effect()::none))
        .onCommand(RunTimedOut.class, (state, cmd) -> runs.timedOut(cmd.taskId(), cmd.attempt())
            .map(outcome -> record(state, outcome)).orElseGet(Effect()::none))
        .onCommand(RunCrashed.class, (state, cmd) -> runs.crashed(cmd.run(), cmd.error())
            .map(outcome -> record(state, outcome)).orElseGet(Effect()::none))
        .onCommand(CancelRun.class, (state, cmd) -> {
          runs.cancel(cmd.taskId()).ifPresent(outcome -> settle(cmd.taskId(), outcome));
          return Effect().none();
        })
        .onCommand(Settled.class, (state, cmd) -> {
          report(state, cmd.taskId(), cmd.outcome(), cmd.verdict());
          return Effect().none();
        })
        .onCommand(RecordCrash.class, this::onRecordCrash)
        .onCommand(ChangeState.class, this::onChangeState)
        .build();
  }

  private Effect<AgentEvent, Agent> onRegister(Agent state, Register cmd) {
    if (state.registered()) {
      cmd.replyTo().tell(StatusReply.error("agent " + agentId + " is already registered"));
      return Effect().none();
    }
    return Effect()
        .persist(new AgentEvent.AgentRegistered(agentId, cmd.spec(), clock.instant()))
        .thenRun(s -> {
          announce(s);
          cmd.replyTo().tell(StatusReply.success(view(s)));
        });
  }

  private Effect<AgentEvent, Agent> onExecute(Agent state, Execute cmd) {
    if (runs.isRunning(cmd.taskId())) {
      return Effect().none(); // a repeated dispatch of what we already run
    }
    if (!state.registered() || state.state() != AgentState.IDLE || runs.busy()) {
      cmd.board().tell(new TaskBoard.AttemptEnded(cmd.taskId(),
          Outcome.of(Outcome.Kind.NOT_STARTED, "agent was not idle", 0), null,
          status(state, AgentStatus.NO_RECONCILE)));
      return Effect().none();
    }
    runs.starting(cmd.taskId(), clock.instant());
    context.pipeToSelf(
        ClusterSharding.get(context.getSystem())
            .entityRefFor(TaskEntity.TYPE_KEY, cmd.taskId())
            .ask((ActorRef<TaskEntity.StartReply> replyTo) ->
                new TaskEntity.Start(agentId, cmd.reason(), replyTo),
                settings.askTimeout()),
        (reply, error) -> new StartAnswered(cmd.taskId(), reply, error));
    return Effect().none();
  }

  private Effect<AgentEvent, Agent> onStartAnswered(Agent state, StartAnswered cmd) {
    if (!runs.isRunning(cmd.taskId())) {
      if (cmd.reply() instanceof TaskEntity.Run) {
        // started for us after we gave it up (cancel, retire): hand it back at once
        settle(cmd.taskId(), Outcome.of(Outcome.Kind.LOST, "agent gave the task up", 0));
      }
      return Effect().none();
    }
    if (cmd.reply() instanceof TaskEntity.Run run) {
      runs.launch(state, cmd.taskId(), run);
      return Effect().none();
    }
    String why = cmd.error() != null
        ? "task entity did not answer: " + cmd.error().getMessage()
        : ((TaskEntity.Refused) cmd.reply()).why();
    runs.clear();
    report(state, cmd.taskId(), Outcome.of(Outcome.Kind.NOT_STARTED, why, 0), null);
    return Effect().none();
  }

  /**
   * Journals the attempt's outcome and what the agent learned from it, then settles it with the
   * task entity, so the task's result is durable before this agent takes other work.
   */
  private Effect<AgentEvent, Agent> record(Agent state, AgentRuns.Ended ended) {
    return Effect()
        .persist(ended.events(state, clock.instant()))
        .thenRun(s -> settle(ended.taskId(), ended.outcome()));
  }

  private void settle(String taskId, Outcome outcome) {
    context.pipeToSelf(
        TaskEntity.settle(context.getSystem(), taskId, agentId, outcome, settings.askTimeout()),
        // without an answer the board settles it again; the entity ignores a repeat
        (verdict, error) -> new Settled(taskId, outcome, verdict));
  }

  private Effect<AgentEvent, Agent> onRecordCrash(Agent state, RecordCrash cmd) {
    if (!state.registered()) {
      return Effect().none();
    }
    Instant now = clock.instant();
    int crashes = state.crashesWithin(settings.crashWindow(), now) + 1;
    var crashed = new AgentEvent.AgentCrashed(cmd.reason(), crashes, now);
    if (crashes < settings.crashLimit() || state.state() == AgentState.FAILED) {
      return Effect().persist(crashed).thenRun(this::announce);
    }
    context.getLog().warn("Agent [{}] crashed {} times within {}: marking it failed",
        agentId, crashes, settings.crashWindow());
    var failed = new AgentEvent.AgentStateChanged(state.state(), AgentState.FAILED,
        "crashed " + crashes + " times within " + settings.crashWindow(), now);
    return Effect().persist(List.of(crashed, failed)).thenRun(this::announce);
  }

  private Effect<AgentEvent, Agent> onChangeState(Agent state, ChangeState cmd) {
    if (!state.registered()) {
      cmd.replyTo().tell(StatusReply.error("agent " + agentId + " not found"));
      return Effect().none();
    }
    AgentLifecycle.Decision decision =
        AgentLifecycle.decide(state, cmd.transition(), clock.instant());
    if (decision.refusal() != null) {
      cmd.replyTo().tell(StatusReply.error(decision.refusal()));
      return Effect().none();
    }
    if (decision.event() == null) {
      cmd.replyTo().tell(StatusReply.success(view(state)));
      return Effect().none();
    }
    return Effect().persist(decision.event()).thenRun(s -> {
      if (s.state() == AgentState.RETIRED && !cmd.drain()) {
        String taskId = runs.currentTaskId();
        if (taskId != null) {
          runs.cancel(taskId).ifPresent(o -> settle(taskId,
              Outcome.of(Outcome.Kind.LOST, "agent retired without draining", 0)));
        }
      }
      if (s.state() == AgentState.RETIRED && !runs.busy()) {
        leave();
      }
      board.tell(status(s, AgentStatus.NO_RECONCILE));
      cmd.replyTo().tell(StatusReply.success(view(s)));
    });
  }

  /** A retired agent stops being offered work; it still answers queries about itself. */
  private void leave() {
    context.getSystem().receptionist()
        .tell(Receptionist.deregister(SERVICE_KEY, context.getSelf()));
  }

  private void report(Agent state, String taskId, Outcome outcome, TaskEntity.Verdict verdict) {
    if (state.state() == AgentState.RETIRED) {
      leave();
    }
    runs.clear();
    board.tell(new TaskBoard.AttemptEnded(taskId, outcome, verdict,
        status(state, AgentStatus.NO_RECONCILE)));
  }

  /** Makes this agent known to the board: via the receptionist, and by telling it directly. */
  private void announce(Agent state) {
    context.getSystem().receptionist()
        .tell(Receptionist.register(SERVICE_KEY, context.getSelf()));
    board.tell(status(state, AgentStatus.ALL));
  }

  private AgentStatus status(Agent state, long reconcileUpTo) {
    return new AgentStatus(agentId, context.getSelf(), runs.effectiveState(state),
        state.proficiencies(), runs.lastBusyAt(), runs.currentTaskId(), reconcileUpTo);
  }

  private AgentView view(Agent state) {
    return AgentView.of(state, runs.effectiveState(state), runs.currentTaskId());
  }

  @Override
  public EventHandler<Agent, AgentEvent> eventHandler() {
    int memory = Math.max(1, settings.crashLimit());
    return newEventHandlerBuilder().forAnyState().onAnyEvent((s, e) -> s.apply(e, memory));
  }
}
