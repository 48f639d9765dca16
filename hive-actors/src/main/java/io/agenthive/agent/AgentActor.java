package io.agenthive.agent;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.ChildFailed;
import akka.actor.typed.PostStop;
import akka.actor.typed.PreRestart;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.sharding.typed.ClusterShardingSettings;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.pattern.StatusReply;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.RecoveryCompleted;
import akka.persistence.typed.SnapshotSelectionCriteria;
import akka.persistence.typed.javadsl.CommandHandler;
import akka.persistence.typed.javadsl.Effect;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehavior;
import akka.persistence.typed.javadsl.Recovery;
import akka.persistence.typed.javadsl.SignalHandler;
import io.agenthive.agent.AgentProtocol.*;
import io.agenthive.common.HiveMdc;
import io.agenthive.common.HiveSettings;
import io.agenthive.common.Refusal;
import io.agenthive.skill.SkillRegistry;
import io.agenthive.task.Outcome;
import io.agenthive.task.TaskReplies;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * One agent, a sharded entity: its registration, settled state and crashes are journaled; each task
 * it runs is a child {@code run-<taskId>-<attempt>} whose failure fails that attempt only. It runs
 * up to {@code max_concurrency} tasks at once.
 *
 * <p>Protocol: {@link Register}, {@link ChangeState}; from the matcher {@link Execute}, {@link
 * CancelRun}, {@link ConfirmRuns}. It starts a task with its entity (which journals the start),
 * frees the slot as soon as the skill returns, and settles the outcome with the entity, which
 * journals it with what the agent learned: the agent writes nothing per task.
 *
 * <p>Supervision: restart with backoff, declared where sharding creates it. A restarted agent
 * journals the crash ({@code AgentCrashed}) and, past the crash limit, marks itself failed rather
 * than looping; its runs die with it and the matcher re-queues them. An agent with nothing to do
 * leaves memory after {@code passivate-after}; the matcher wakes it with the next task.
 */
public final class AgentActor
    extends EventSourcedBehavior<AgentProtocol.Command, AgentEvent, Agent> {

  public static final EntityTypeKey<Command> TYPE_KEY =
      EntityTypeKey.create(Command.class, "Agent");

  /** What an agent entity is wired to. {@code shard} is null outside sharding (tests). */
  public record Links(
      MatcherLink matcher, SkillRegistry skills, ActorRef<ClusterSharding.ShardCommand> shard) {}

  private final String agentId;
  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final HiveSettings settings;
  // its journal tags, the same for each of its events
  private final Set<String> tags;
  private final Links links;
  private final Clock clock;
  private final AgentRuns runs;
  private final AgentSettles settles;
  private final TaskStarts starts;
  private final AgentStateChanges stateChanges;
  private static final Duration RECOVER_AFTER_RESTART = Duration.ofSeconds(5);
  // Once it asked to leave memory it takes no new work: what arrives until it stops would be lost.
  private boolean leaving;

  /**
   * Shards agents on this node, restarted with backoff when one fails. Agents leave memory on their
   * own when idle, never while they run something, so sharding's passivation is off.
   */
  public static void init(
      ActorSystem<?> system,
      HiveSettings settings,
      MatcherLink matcher,
      SkillRegistry skills,
      Clock clock) {
    ClusterSharding.get(system)
        .init(
            Entity.of(
                    TYPE_KEY,
                    entity ->
                        Behaviors.supervise(
                                create(
                                    entity.getEntityId(),
                                    settings,
                                    new Links(matcher, skills, entity.getShard()),
                                    clock))
                            .onFailure(settings.restartBackoff()))
                .withSettings(ClusterShardingSettings.create(system).withNoPassivationStrategy()));
  }

  public static Behavior<Command> create(
      String agentId, HiveSettings settings, Links links, Clock clock) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> new AgentActor(agentId, ctx, timers, settings, links, clock)));
  }

  private AgentActor(
      String agentId,
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      HiveSettings settings,
      Links links,
      Clock clock) {
    super(PersistenceId.of(TYPE_KEY.name(), agentId), settings.journalFailureBackoff());
    this.agentId = agentId;
    this.context = context;
    this.timers = timers;
    this.settings = settings;
    this.tags = settings.tagsFor(persistenceId().id());
    this.links = links;
    this.clock = clock;
    this.runs = new AgentRuns(agentId, context, timers, links.skills());
    this.starts = new TaskStarts(context, agentId, settings.askTimeout());
    this.settles =
        new AgentSettles(
            agentId,
            context,
            timers,
            settings,
            (taskId, verdict, error) -> new Settled(taskId, verdict, error),
            Resettle::new);
    this.stateChanges =
        new AgentStateChanges(
            agentId, context, timers, settings, links, clock, runs, settles, Effect());
  }

  @Override
  public Agent emptyState() {
    return Agent.empty(agentId);
  }

  @Override
  public Set<String> tagsFor(AgentEvent event) {
    return tags;
  }

  @Override
  public Recovery recovery() {
    // an agent journals a handful of events (its stats travel with the tasks): recovery replays
    // them, and skipping the snapshot store saves every registration and wake-up a query
    return Recovery.withSnapshotSelectionCriteria(SnapshotSelectionCriteria.none());
  }

  @Override
  public SignalHandler<Agent> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(
            RecoveryCompleted.instance(),
            state -> {
              idleCheckLater();
              if (state.state() == AgentState.DEGRADED) {
                // this incarnation has no circuit of its own yet: try the endpoint again soon
                timers.startSingleTimer(Recover.INSTANCE, Recover.INSTANCE, RECOVER_AFTER_RESTART);
              }
            })
        .onSignal(PostStop.instance(), state -> runs.close())
        // the restarted incarnation journals the crash: a signal handler cannot persist
        .onSignal(
            PreRestart.instance(),
            state -> {
              runs.close();
              context.getSelf().tell(new RecordCrash("agent actor failed and was restarted"));
            })
        .onSignal(
            Terminated.class,
            (state, signal) ->
                context
                    .getSelf()
                    .tell(
                        new RunCrashed(
                            signal.getRef().unsafeUpcast(),
                            signal instanceof ChildFailed failed
                                ? TaskRun.describe(failed.getCause())
                                : "run stopped without a result")))
        .build();
  }

  @Override
  public CommandHandler<Command, AgentEvent, Agent> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(Register.class, this::onRegister)
        .onCommand(ChangeState.class, stateChanges::onChangeState)
        .onCommand(Execute.class, this::onExecute)
        .onCommand(StartAnswered.class, this::onStartAnswered)
        .onCommand(RunFinished.class, (state, cmd) -> ended(state, runs.finished(cmd)))
        .onCommand(
            RunTimedOut.class,
            (state, cmd) -> ended(state, runs.timedOut(cmd.taskId(), cmd.attempt())))
        .onCommand(
            RunCrashed.class, (state, cmd) -> ended(state, runs.crashed(cmd.run(), cmd.error())))
        .onCommand(
            CancelRun.class,
            (state, cmd) -> {
              runs.stop(cmd.taskId(), Outcome.Kind.CANCELLED, "cancelled")
                  .ifPresent(
                      ended ->
                          links
                              .matcher()
                              .slotFreed(agentId, cmd.taskId(), MatcherLink.SlotRelease.CANCELLED));
              return Effect().none();
            })
        .onCommand(
            RollCall.class,
            (state, cmd) -> {
              cmd.replyTo().tell(new Present(agentId));
              return Effect().none();
            })
        .onCommand(
            ConfirmRuns.class,
            (state, cmd) -> {
              Set<String> still = new HashSet<>(cmd.taskIds());
              still.removeIf(id -> !runs.knows(id) && !settles.pending(id));
              links.matcher().runsConfirmed(agentId, cmd.question(), still);
              return Effect().none();
            })
        .onCommand(
            Settled.class,
            (state, cmd) -> {
              settles.answered(cmd.taskId(), cmd.verdict(), cmd.error());
              idleCheckLater();
              return Effect().none();
            })
        .onCommand(
            Resettle.class,
            (state, cmd) -> {
              settles.resend(cmd.taskId());
              return Effect().none();
            })
        .onCommand(RecordCrash.class, stateChanges::onRecordCrash)
        .onCommand(
            Recover.class,
            (state, cmd) -> stateChanges.transition(state, AgentLifecycle.Transition.RECOVER))
        .onCommand(CircuitOpened.class, (state, cmd) -> stateChanges.degradeIfFailingFast(state))
        .onCommand(
            ReportRuns.class,
            (state, cmd) -> {
              reportRuns();
              return Effect().none();
            })
        .onCommand(
            IdleCheck.class,
            (state, cmd) -> {
              if (state.state() != AgentState.DEGRADED) {
                passivateIfIdle(); // a degraded agent waits in memory for its timer to recover
              }
              return Effect().none();
            })
        .build();
  }

  private Effect<AgentEvent, Agent> onRegister(Agent state, Register cmd) {
    if (state.registered()) {
      cmd.replyTo()
          .tell(
              StatusReply.error(
                  new Refusal.Conflict("agent " + agentId + " is already registered")));
      return Effect().none();
    }
    return Effect()
        .persist(new AgentEvent.AgentRegistered(agentId, cmd.spec(), clock.instant(), cmd.by()))
        .thenRun(s -> links.matcher().joined(s, cmd.replyTo()));
  }

  private Effect<AgentEvent, Agent> onExecute(Agent state, Execute cmd) {
    if (runs.knows(cmd.taskId())) {
      return Effect().none(); // a repeated hand-over of what we already have
    }
    if (!state.registered()
        || state.state() != AgentState.IDLE
        || runs.inUse() >= state.maxConcurrency()
        || leaving) {
      // leaving memory: the matcher hands it out again, and it reaches the next incarnation
      links.matcher().slotFreed(agentId, cmd.taskId(), MatcherLink.SlotRelease.DECLINED);
      return Effect().none();
    }
    timers.cancel(IdleCheck.INSTANCE);
    if (!timers.isTimerActive(ReportRuns.INSTANCE)) {
      timers.startTimerWithFixedDelay(ReportRuns.INSTANCE, settings.agentReportInterval());
    }
    runs.starting(cmd.taskId(), cmd.reason(), cmd.proficiencies(), clock.instant());
    starts.ask(cmd.taskId(), cmd.reason());
    return Effect().none();
  }

  private Effect<AgentEvent, Agent> onStartAnswered(Agent state, StartAnswered cmd) {
    AgentRuns.Starting waiting = runs.stillStarting(cmd.taskId());
    if (waiting != null && starts.again(cmd, waiting.reason())) {
      return Effect().none();
    }
    var asked = runs.startAnswered(cmd.taskId());
    if (asked.isEmpty()) {
      return Effect().none();
    }
    if (cmd.reply() instanceof TaskReplies.Run run) {
      if (asked.get().givenUp()) {
        // cancelled or retired while the start was asked: hand it back at once
        settles.settle(
            cmd.taskId(),
            run.attempt(),
            Outcome.of(Outcome.Kind.LOST, "agent gave the task up", 0),
            null);
        links.matcher().slotFreed(agentId, cmd.taskId(), MatcherLink.SlotRelease.CANCELLED);
      } else {
        runs.launch(state, cmd.taskId(), run, asked.get());
      }
      return Effect().none();
    }
    MatcherLink.SlotRelease how =
        cmd.error() != null ? MatcherLink.SlotRelease.NO_ANSWER : MatcherLink.SlotRelease.REFUSED;
    links.matcher().slotFreed(agentId, cmd.taskId(), how);
    idleCheckLater();
    return Effect().none();
  }

  /** The slot is free at once; the outcome is settled with the task, with what was learned. */
  private Effect<AgentEvent, Agent> ended(Agent state, Optional<AgentRuns.Ended> ended) {
    ended.ifPresent(
        e -> {
          links.matcher().slotFreed(agentId, e.taskId(), MatcherLink.SlotRelease.RAN);
          settles.settle(
              e.taskId(), e.attempt(), e.outcome(), AgentSettles.agentOutcome(agentId, state, e));
          if (state.state() == AgentState.RETIRED && runs.inUse() == 0) {
            HiveMdc.about(
                null,
                agentId,
                () -> context.getLog().info("Agent [{}] drained its last run", agentId));
          }
        });
    return ended.isPresent() ? stateChanges.degradeIfFailingFast(state) : Effect().none();
  }

  /**
   * Tells the matcher what this agent holds (starting, running, or still settling), which renews
   * those attempts' leases; with nothing held, the reports stop until the next task.
   */
  private void reportRuns() {
    Set<String> held = new HashSet<>(runs.taskIds());
    held.addAll(settles.pendingIds());
    if (held.isEmpty()) {
      timers.cancel(ReportRuns.INSTANCE);
      return;
    }
    links.matcher().runsHeld(agentId, held);
  }

  /** With nothing started, running or unsettled, leave memory after a while. */
  private void idleCheckLater() {
    if (links.shard() != null && runs.inUse() == 0 && settles.none()) {
      timers.startSingleTimer(
          IdleCheck.INSTANCE, IdleCheck.INSTANCE, settings.agentPassivateAfter());
    }
  }

  private void passivateIfIdle() {
    if (links.shard() != null && runs.inUse() == 0 && settles.none() && !leaving) {
      leaving = true;
      links.shard().tell(new ClusterSharding.Passivate<>(context.getSelf()));
    }
  }

  @Override
  public EventHandler<Agent, AgentEvent> eventHandler() {
    int memory = Math.max(1, settings.crashLimit());
    return newEventHandlerBuilder().forAnyState().onAnyEvent((s, e) -> s.apply(e, memory));
  }
}
