package io.agenthive.board;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.actor.typed.receptionist.Receptionist;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.RecoveryCompleted;
import akka.persistence.typed.javadsl.CommandHandler;
import akka.persistence.typed.javadsl.Effect;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehavior;
import akka.persistence.typed.javadsl.RetentionCriteria;
import akka.persistence.typed.javadsl.SignalHandler;
import io.agenthive.agent.AgentActor;
import io.agenthive.common.CborSerializable;
import io.agenthive.common.HiveTags;
import io.agenthive.common.LocalOnly;
import io.agenthive.common.HiveSettings;
import io.agenthive.routing.RoutingPolicy;
import io.agenthive.task.Outcome;
import io.agenthive.task.Priority;
import io.agenthive.task.RequiredCapability;
import io.agenthive.task.TaskEntity;
import io.agenthive.task.TaskStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The task board: the pending queue and the matching of tasks to idle agents. Event-sourced and
 * run as a cluster singleton (even on one node), so it resumes elsewhere after a node loss.
 *
 * <p>Protocol: {@link Enqueue} from task entities (answered after journaling, or refused when the
 * queue bound is reached), {@link Withdraw} on cancel, {@link AgentStatus} and {@link
 * AttemptEnded} from agents, {@link GetQueue} for status. Which agents exist and are idle is soft
 * state, learned from the receptionist and the agents' reports; the queue and what is out with
 * whom is journaled. Every outcome is settled with the task entity, which is the authority on
 * attempts. This is a plain {@code EventSourcedBehavior}: most of its protocol is fire-and-forget.
 */
public final class TaskBoard extends EventSourcedBehavior<TaskBoard.Command, BoardEvent, BoardState> {

  public static final String NAME = "task-board";

  public interface Command extends CborSerializable {}

  public record Enqueue(
      String taskId, Priority priority, List<RequiredCapability> requirements,
      ActorRef<EnqueueReply> replyTo) implements Command {}

  public sealed interface EnqueueReply extends CborSerializable {}

  public record Enqueued(String taskId) implements EnqueueReply {}

  public record QueueIsFull(int bound) implements EnqueueReply {}

  public record Withdraw(String taskId) implements Command {}

  /**
   * An agent's attempt ended. {@code verdict} is the task entity's answer when the agent already
   * settled the outcome with it; when null (the entity did not answer) the board settles it.
   */
  public record AttemptEnded(
      String taskId, Outcome outcome, TaskEntity.Verdict verdict, AgentStatus status)
      implements Command {}

  public record GetQueue(ActorRef<QueueView> replyTo) implements Command {}

  public record QueueView(
      Map<Priority, Integer> pendingByPriority, int inFlight, int idleAgents, int knownAgents)
      implements CborSerializable {}

  private record AgentsListed(Receptionist.Listing listing) implements Command, LocalOnly {}

  private record Settled(String taskId, TaskEntity.Verdict verdict, SettleFailed error)
      implements Command, LocalOnly {}

  private enum Dispatch implements Command, LocalOnly { INSTANCE }

  private enum Flush implements Command, LocalOnly { INSTANCE }

  private record Resettle(String taskId, String agentId, Outcome outcome)
      implements Command, LocalOnly {}

  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final HiveSettings settings;
  private final Clock clock;
  private final RoutingPolicy policy;
  private final AgentRoster roster = new AgentRoster();
  private final GroupCommit batch = new GroupCommit();
  // When this incarnation dispatched each task out, by a counter; absent: an earlier incarnation.
  private final Map<String, Long> dispatchedAt = new HashMap<>();
  private long dispatchCounter;
  private boolean dispatchRequested;
  private boolean flushRequested;

  public static Behavior<Command> create(HiveSettings settings, Clock clock) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(
        timers -> new TaskBoard(ctx, timers, settings, clock)));
  }

  private TaskBoard(ActorContext<Command> context, TimerScheduler<Command> timers,
      HiveSettings settings, Clock clock) {
    super(PersistenceId.ofUniqueId("TaskBoard|hive"), settings.journalFailureBackoff());
    this.context = context;
    this.timers = timers;
    this.settings = settings;
    this.clock = clock;
    this.policy = new RoutingPolicy(settings.agingStep(), settings.maxCandidatesInReason());
  }

  @Override
  public BoardState emptyState() {
    return BoardState.empty();
  }

  @Override
  public java.util.Set<String> tagsFor(BoardEvent event) {
    return HiveTags.ALL_ONLY;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(settings.snapshotEvery(), 2);
  }

  @Override
  public SignalHandler<BoardState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), state -> {
          ActorRef<Receptionist.Listing> adapter =
              context.messageAdapter(Receptionist.Listing.class, AgentsListed::new);
          context.getSystem().receptionist()
              .tell(Receptionist.subscribe(AgentActor.SERVICE_KEY, adapter));
          context.getLog().info("Task board recovered: {} pending, {} in flight",
              state.pending().size(), state.inFlight().size());
        })
        .build();
  }

  @Override
  public CommandHandler<Command, BoardEvent, BoardState> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Enqueue.class, this::onEnqueue)
        .onCommand(Withdraw.class, this::onWithdraw)
        .onCommand(AgentStatus.class, this::onAgentStatus)
        .onCommand(AttemptEnded.class, this::onAttemptEnded)
        .onCommand(Settled.class, this::onSettled)
        .onCommand(Resettle.class, (state, cmd) -> {
          settle(cmd.taskId(), cmd.agentId(), cmd.outcome());
          return Effect().none();
        })
        .onCommand(AgentsListed.class, this::onAgentsListed)
        .onCommand(Dispatch.class, this::onDispatch)
        .onCommand(Flush.class, this::onFlush)
        .onCommand(GetQueue.class, (state, cmd) -> {
          cmd.replyTo().tell(new QueueView(QueueStats.byPriority(state), state.inFlight().size(),
              roster.idleCount(), roster.size()));
          return Effect().none();
        })
        .build();
  }

  private Effect<BoardEvent, BoardState> onEnqueue(BoardState state, Enqueue cmd) {
    if (state.knows(cmd.taskId()) || batch.queues(cmd.taskId())) {
      cmd.replyTo().tell(new Enqueued(cmd.taskId()));
      return Effect().none();
    }
    if (state.pending().size() + batch.queuedCount() >= settings.queueBound()) {
      cmd.replyTo().tell(new QueueIsFull(settings.queueBound()));
      return Effect().none();
    }
    write(new BoardEvent.TaskQueued(cmd.taskId(), cmd.priority(), cmd.requirements(),
        clock.instant()), () -> cmd.replyTo().tell(new Enqueued(cmd.taskId())));
    return Effect().none();
  }

  private Effect<BoardEvent, BoardState> onWithdraw(BoardState state, Withdraw cmd) {
    BoardState.InFlight out = state.inFlight().get(cmd.taskId());
    if (out != null) {
      // the agent stops the run and reports; settling that report removes the task
      roster.find(out.agentId()).ifPresent(a -> a.ref().tell(new AgentActor.CancelRun(cmd.taskId())));
    } else if (state.pending().containsKey(cmd.taskId())) {
      write(new BoardEvent.TaskRemoved(cmd.taskId(), TaskStatus.CANCELLED, clock.instant()),
          () -> {});
    }
    return Effect().none();
  }

  /** Adds an event to the next group commit; {@code then} runs once it is journaled. */
  private void write(BoardEvent event, Runnable then) {
    batch.add(event, then);
    if (!flushRequested) {
      flushRequested = true;
      context.getSelf().tell(Flush.INSTANCE);
    }
  }

  private Effect<BoardEvent, BoardState> onFlush(BoardState state, Flush cmd) {
    flushRequested = false;
    if (batch.isEmpty()) {
      return Effect().none();
    }
    GroupCommit.Batch written = batch.drain();
    return Effect().persist(written.events()).thenRun(s -> {
      written.afterWrite().forEach(Runnable::run);
      requestDispatch();
    });
  }

  private Effect<BoardEvent, BoardState> onAgentStatus(BoardState state, AgentStatus status) {
    roster.update(status);
    state.inFlight().forEach((taskId, out) -> {
      if (out.agentId().equals(status.agentId()) && !taskId.equals(status.runningTaskId())
          && dispatchedAt.getOrDefault(taskId, 0L) <= status.reconcileUpTo()) {
        settle(taskId, out.agentId(), Outcome.of(Outcome.Kind.LOST,
            "agent " + out.agentId() + " restarted while running the task", 0));
      }
    });
    requestDispatch();
    return Effect().none();
  }

  private Effect<BoardEvent, BoardState> onAttemptEnded(BoardState state, AttemptEnded cmd) {
    roster.update(cmd.status());
    requestDispatch();
    if (cmd.verdict() == null) {
      settle(cmd.taskId(), cmd.status().agentId(), cmd.outcome());
      return Effect().none();
    }
    return applyVerdict(state, cmd.taskId(), cmd.verdict());
  }

  private void settle(String taskId, String agentId, Outcome outcome) {
    context.pipeToSelf(
        TaskEntity.settle(context.getSystem(), taskId, agentId, outcome, settings.askTimeout()),
        (verdict, error) -> error == null
            ? new Settled(taskId, verdict, null)
            : new Settled(taskId, null, new SettleFailed(agentId, outcome, error)));
  }

  /** Why a settle did not get an answer; carries what is needed to ask again. */
  private record SettleFailed(String agentId, Outcome outcome, Throwable cause) {}

  private Effect<BoardEvent, BoardState> onSettled(BoardState state, Settled cmd) {
    if (cmd.error() != null) {
      // The task stays out until its entity answers; asking again is safe, a repeat is ignored.
      SettleFailed f = cmd.error();
      context.getLog().warn("Task [{}] not settled, asking again: {}", cmd.taskId(),
          f.cause().toString());
      timers.startSingleTimer("settle-" + cmd.taskId(),
          new Resettle(cmd.taskId(), f.agentId(), f.outcome()), settings.retryBackoffMin());
      return Effect().none();
    }
    return applyVerdict(state, cmd.taskId(), cmd.verdict());
  }

  /** Follows the entity: a terminal task leaves the board, a pending one waits for its retry. */
  private Effect<BoardEvent, BoardState> applyVerdict(
      BoardState state, String taskId, TaskEntity.Verdict verdict) {
    Instant now = clock.instant();
    if (verdict.status() == null || verdict.status().isTerminal()) {
      if (state.knows(taskId)) {
        write(new BoardEvent.TaskRemoved(taskId, verdict.status(), now),
            () -> dispatchedAt.remove(taskId));
      }
    } else if (verdict.status() == TaskStatus.PENDING && state.inFlight().containsKey(taskId)) {
      Instant notBefore = verdict.retryAt() == null ? now : verdict.retryAt();
      write(new BoardEvent.TaskRequeued(taskId, notBefore, now),
          () -> dispatchedAt.remove(taskId));
    }
    return Effect().none();
  }

  private Effect<BoardEvent, BoardState> onAgentsListed(BoardState state, AgentsListed cmd) {
    var present = cmd.listing().getServiceInstances(AgentActor.SERVICE_KEY);
    for (ActorRef<AgentActor.Command> ref : present) {
      if (!roster.knows(ref)) {
        ref.tell(new AgentActor.ReportStatus(context.getSelf(), dispatchCounter));
      }
    }
    for (AgentRoster.Slot gone : roster.removeAbsent(present)) {
      state.inFlight().forEach((taskId, out) -> {
        if (out.agentId().equals(gone.agentId())) {
          settle(taskId, gone.agentId(), Outcome.of(Outcome.Kind.LOST, "agent stopped", 0));
        }
      });
    }
    return Effect().none();
  }

  private void requestDispatch() {
    if (!dispatchRequested) {
      dispatchRequested = true;
      context.getSelf().tell(Dispatch.INSTANCE);
    }
  }

  private Effect<BoardEvent, BoardState> onDispatch(BoardState state, Dispatch cmd) {
    dispatchRequested = false;
    Instant now = clock.instant();
    List<RoutingPolicy.Assignment> assignments =
        policy.assign(state.pending().values(), roster.idleAgents(), now);
    scheduleNextRetry(state, now);
    if (assignments.isEmpty()) {
      return Effect().none();
    }
    List<BoardEvent> events = new ArrayList<>(assignments.size());
    for (RoutingPolicy.Assignment a : assignments) {
      roster.markBusy(a.agentId(), now);
      dispatchedAt.put(a.taskId(), ++dispatchCounter);
      events.add(new BoardEvent.TaskDispatched(a.taskId(), a.agentId(), now));
    }
    return Effect().persist(events).thenRun(s -> assignments.forEach(a ->
        roster.find(a.agentId()).ifPresent(slot ->
            slot.ref().tell(new AgentActor.Execute(a.taskId(), a.reason(), context.getSelf())))));
  }

  private void scheduleNextRetry(BoardState state, Instant now) {
    state.pending().values().stream()
        .map(RoutingPolicy.PendingTask::notBefore)
        .filter(t -> t != null && t.isAfter(now))
        .min(Instant::compareTo)
        .ifPresent(next -> timers.startSingleTimer(
            "retry", Dispatch.INSTANCE, Duration.between(now, next).plusMillis(5)));
  }

  @Override
  public EventHandler<BoardState, BoardEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(BoardState::apply);
  }
}
