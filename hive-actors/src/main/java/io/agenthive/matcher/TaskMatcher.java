package io.agenthive.matcher;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.StashBuffer;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.ClusterEvent;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.typed.Cluster;
import akka.pattern.StatusReply;
import io.agenthive.agent.AgentActor;
import io.agenthive.agent.AgentProtocol;
import io.agenthive.agent.AgentView;
import io.agenthive.common.HiveSettings;
import io.agenthive.common.Refusal;
import io.agenthive.common.Singletons;
import io.agenthive.common.Subscribers;
import io.agenthive.matcher.MatcherProtocol.*;
import io.agenthive.task.TaskProtocol;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Matches waiting tasks to free agents, in memory: a cluster singleton (even on one node) that
 * journals nothing. Task events are the truth; when it starts (or moves after a node loss) it
 * rebuilds its queue, agents and counts from the {@link Backlog}, and asks agents to confirm the
 * tasks the journal says they run; in a cluster it also calls the roll ({@link AgentRollCall}),
 * again whenever a node leaves, and prefers agents that answered while others may be moving.
 *
 * <p>Protocol: from task entities {@link Admit} (answered at once: a place, or queue full) and
 * {@link TaskChanged}; from agents {@link AgentJoined}, {@link AgentChanged}, {@link SlotFreed},
 * {@link AgentRestarted}, {@link RunsConfirmed}, {@link AgentPresent}; queries {@link GetAgent},
 * {@link GetCounts}, {@link Subscribe}. It hands tasks to agents with {@link
 * AgentProtocol.Execute}; the task entity starts a task only while it is pending, so a matcher that
 * is briefly wrong costs a retry, never a double run. Supervision: restarted with backoff where the
 * singleton is declared; a restart rebuilds.
 */
public final class TaskMatcher {
  public static final String NAME = "task-matcher";

  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final HiveSettings settings;
  private final Clock clock;
  private final Matching matching;
  private final ClusterSharding sharding;
  private final Backlog backlog;
  private final Reconciler reconciler;
  private final Subscribers<HiveCounts, Command> subscribers;
  private final RunConfirmations confirmations;
  private final LostReports lostReports;
  private final WakeupTimer wakeups;
  private final RollCaller rollCaller;
  private boolean dispatchRequested;
  private boolean changedSincePublish = true;
  private Instant lastPublished = Instant.EPOCH;
  private static final Duration HEARTBEAT = Duration.ofSeconds(1);
  // leases are looked at this often, so one expires at most this long after its time
  private static final Duration LEASE_CHECK = Duration.ofSeconds(1);

  /** Starts the matcher singleton; it rebuilds from {@code backlog} after every (re)start. */
  public static ActorRef<Command> init(
      ActorSystem<?> system, HiveSettings settings, Backlog backlog, Clock clock) {
    return Singletons.init(system, settings, NAME, create(settings, backlog, clock));
  }

  public static Behavior<Command> create(HiveSettings settings, Backlog backlog, Clock clock) {
    return Behaviors.withStash(
        settings.matcherStashCapacity(),
        stash ->
            Behaviors.setup(
                ctx ->
                    Behaviors.withTimers(
                        timers -> {
                          ctx.pipeToSelf(backlog.load(), Loaded::new);
                          var members = Cluster.get(ctx.getSystem()).subscriptions();
                          members.tell(
                              akka.cluster.typed.Subscribe.create(
                                  ctx.messageAdapter(
                                      ClusterEvent.MemberRemoved.class, NodeLost::new),
                                  ClusterEvent.MemberRemoved.class));
                          members.tell(
                              akka.cluster.typed.Subscribe.create(
                                  ctx.messageAdapter(
                                      ClusterEvent.MemberUp.class, MembersChanged::new),
                                  ClusterEvent.MemberUp.class));
                          return loading(
                              new TaskMatcher(ctx, timers, settings, clock, backlog), stash);
                        })));
  }

  /** Until the backlog is in, everything waits in the stash. */
  private static Behavior<Command> loading(TaskMatcher m, StashBuffer<Command> stash) {
    return Behaviors.receive(Command.class)
        .onMessage(
            Loaded.class,
            loaded -> {
              if (loaded.error() != null) {
                // supervision restarts the matcher with backoff, which loads again
                throw new IllegalStateException(
                    "the task backlog could not be read", loaded.error());
              }
              m.rebuild(loaded.snapshot());
              return stash.unstashAll(m.running());
            })
        .onAnyMessage(
            msg -> {
              stash.stash(msg);
              return Behaviors.same();
            })
        .build();
  }

  private TaskMatcher(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      HiveSettings settings,
      Clock clock,
      Backlog backlog) {
    this.context = context;
    this.subscribers = new Subscribers<>(context, SubscriberGone::new);
    this.backlog = backlog;

    this.timers = timers;
    this.settings = settings;
    this.clock = clock;
    this.matching =
        new Matching(settings.agingStep(), settings.maxCandidatesInReason(), settings.queueBound());
    this.sharding = ClusterSharding.get(context.getSystem());
    this.reconciler = new Reconciler(context, timers, settings, backlog, matching);
    this.confirmations =
        new RunConfirmations(timers, sharding, settings.askTimeout().multipliedBy(3), clock);
    this.lostReports =
        new LostReports(
            context,
            timers,
            sharding,
            matching.lostRuns(),
            settings.askTimeout(),
            settings.retryBackoffMin());
    this.wakeups =
        new WakeupTimer(
            timers,
            sharding,
            clock,
            context.messageAdapter(TaskProtocol.Woken.class, WakeAnswered::new));
    this.rollCaller =
        new RollCaller(context, timers, matching, clock, settings.agentPassivateAfter());
  }

  private void rebuild(Backlog.Snapshot snapshot) {
    matching.rebuild(snapshot, clock.instant());
    wakeups.rebuild(snapshot);
    HiveCounts counts = matching.counts(clock.instant());
    context
        .getLog()
        .info(
            "Task matcher ready: {} agents, {} tasks waiting, {} running",
            counts.knownAgents(),
            counts.pending(),
            counts.inFlight());
    timers.startTimerWithFixedDelay(Publish.INSTANCE, settings.countsInterval());
    timers.startTimerWithFixedDelay(LeaseCheck.INSTANCE, LEASE_CHECK);
    reconciler.start();
    if (!HiveSettings.alone(context.getSystem().settings().config())) {
      // it may have moved from a lost node, whose agents move too (a survivor of two is a
      // cluster of one by now, so members are not counted); a hub of its own has nothing moving
      rollCaller.call();
    }
    afterChange();
  }

  private Behavior<Command> running() {
    return Behaviors.receive(Command.class)
        .onMessage(
            Admit.class,
            cmd -> {
              reconciler.touched(cmd.task().taskId());
              cmd.replyTo().tell(matching.admit(cmd.task(), clock.instant()));
              return afterChange();
            })
        .onMessage(
            TaskChanged.class,
            cmd -> {
              reconciler.heard(cmd.change());
              matching.changed(cmd.change(), clock.instant());
              wakeups.changed(cmd.change().taskId(), cmd.change().wakeAt());
              return afterChange();
            })
        .onMessage(
            AgentJoined.class,
            cmd -> {
              reconciler.touched(cmd.agent().id());
              matching.joined(cmd.agent());
              replyView(cmd.agent().id(), cmd.replyTo());
              return afterChange();
            })
        .onMessage(
            AgentChanged.class,
            cmd -> {
              reconciler.touched(cmd.agent().id());
              matching.changedAgent(cmd.agent());
              replyView(cmd.agent().id(), cmd.replyTo());
              return afterChange();
            })
        .onMessage(
            SlotFreed.class,
            cmd -> {
              reconciler.touched(cmd.taskId());
              matching.slotFreed(cmd.agentId(), cmd.taskId(), cmd.how(), clock.instant());
              return afterChange();
            })
        .onMessage(
            AgentRestarted.class,
            cmd -> changed(() -> matching.lostRuns().restarted(cmd.agentId())))
        .onMessage(BudgetHolds.class, cmd -> changed(() -> matching.budgetHolds(cmd.holds())))
        .onMessage(
            AgentPresent.class, cmd -> rollCaller.answered(cmd) ? afterChange() : Behaviors.same())
        .onMessage(
            RunsConfirmed.class,
            cmd -> {
              matching.rollCall().heard(cmd.agentId());
              return confirmed(cmd.agentId(), cmd.question(), cmd.running());
            })
        .onMessage(RunsHeld.class, this::onRunsHeld)
        .onMessageEquals(LeaseCheck.INSTANCE, this::onLeaseCheck)
        .onMessageEquals(WakeDue.INSTANCE, () -> answered(wakeups::wakeDue))
        .onMessage(WakeAnswered.class, w -> answered(() -> wakeups.answered(w.woken())))
        .onMessageEquals(Reconcile.INSTANCE, () -> reconciler.begin())
        .onMessage(
            Reconciled.class,
            done ->
                changed(
                    () -> {
                      reconciler.finish(done, clock.instant());
                      wakeups.adopt(done.snapshot());
                    }))
        .onMessage(MembersChanged.class, up -> answered(() -> reconciler.soon()))
        // no answer in time: what the agent was asked about is lost, unless heard of since
        .onMessage(ConfirmDeadline.class, cmd -> confirmed(cmd.agentId(), 0, Set.of()))
        .onMessage(ConfirmAgain.class, cmd -> answered(() -> confirmations.askAgain(cmd.agentId())))
        .onMessage(GetAgent.class, cmd -> answered(() -> replyView(cmd.agentId(), cmd.replyTo())))
        .onMessage(
            WhyWaiting.class,
            cmd ->
                answered(
                    () -> cmd.replyTo().tell(new WaitingReason(matching.whyWaiting(cmd.taskId())))))
        .onMessage(
            GetCounts.class,
            cmd -> answered(() -> cmd.replyTo().tell(matching.counts(clock.instant()))))
        .onMessage(
            Subscribe.class,
            cmd ->
                answered(
                    () ->
                        subscribers.subscribe(cmd.subscriber(), matching.counts(clock.instant()))))
        .onMessage(SubscriberGone.class, cmd -> answered(() -> subscribers.gone(cmd.subscriber())))
        .onMessage(
            NodeLost.class,
            lost -> {
              context
                  .getLog()
                  .info(
                      "Node [{}] left the cluster: asking agents what they still run",
                      lost.removed().member().address());
              matching.lostRuns().nodeLost();
              rollCaller.call();
              reconciler.soon();
              return afterChange();
            })
        .onMessage(LostSettled.class, this::onLostSettled)
        .onMessage(ResendLost.class, cmd -> answered(() -> lostReports.send(cmd.lost())))
        .onMessageEquals(DispatchNow.INSTANCE, this::onDispatch)
        .onMessageEquals(Publish.INSTANCE, this::onPublish)
        .build();
  }

  private Behavior<Command> onRunsHeld(RunsHeld held) {
    matching.rollCall().heard(held.agentId());
    reconciler.touched(held.agentId());
    held.taskIds().forEach(reconciler::touched);
    for (String freed : matching.held(held.agentId(), held.taskIds(), clock.instant())) {
      reconciler.repaired("slot_freed", freed, "agent " + held.agentId() + " no longer holds it");
    }
    return afterChange();
  }

  private Behavior<Command> onLeaseCheck() {
    List<Matching.Out> expired = matching.expireLeases(clock.instant(), settings.lease());
    String why = " did not say it held it for " + settings.lease();
    expired.forEach(
        o -> reconciler.repaired("lease_expired", o.entry().taskId, "agent " + o.agentId() + why));
    boolean freed = matching.freeOverdueSlots(clock.instant());
    if (matching.lostRuns().askUnconfirmed(clock.instant())) {
      perform(); // questions only: nothing new to match
    }
    return expired.isEmpty() && !freed ? Behaviors.same() : afterChange();
  }

  private Behavior<Command> confirmed(String agentId, long question, Set<String> stillRunning) {
    var lost = confirmations.answered(agentId, question, stillRunning, matching.lostRuns());
    if (lost == null) {
      return Behaviors.same();
    }
    lost.forEach(
        t -> reconciler.repaired("run_not_held", t, "agent " + agentId + " no longer held it"));
    return afterChange();
  }

  private Behavior<Command> onLostSettled(LostSettled answer) {
    reconciler.touched(answer.lost().taskId());
    return lostReports.answered(answer, clock.instant()) ? afterChange() : Behaviors.same();
  }

  private void replyView(String agentId, ActorRef<StatusReply<AgentView>> replyTo) {
    if (replyTo == null) {
      return;
    }
    AgentProfile p = matching.agent(agentId);
    replyTo.tell(
        p == null
            ? StatusReply.error(new Refusal.NotFound("agent " + agentId + " not found"))
            : StatusReply.success(p.view()));
  }

  /** Applies {@code change} (one message's), then {@link #afterChange}. */
  private Behavior<Command> changed(Runnable change) {
    change.run();
    return afterChange();
  }

  /** Runs {@code answer} (a reply or a note), which changes nothing the matcher matches on. */
  private static Behavior<Command> answered(Runnable answer) {
    answer.run();
    return Behaviors.same();
  }

  /** Carries out what the change requires and asks for one matching round (coalesced). */
  private Behavior<Command> afterChange() {
    changedSincePublish = true;
    perform();
    wakeups.arm();
    if (!dispatchRequested) {
      dispatchRequested = true;
      context.getSelf().tell(DispatchNow.INSTANCE);
    }
    return Behaviors.same();
  }

  private Behavior<Command> onDispatch() {
    dispatchRequested = false;
    Instant now = clock.instant();
    matching.dispatch(now);
    perform();
    Instant due = matching.nextRetryDue();
    if (due != null) {
      timers.startSingleTimer(
          "retry", DispatchNow.INSTANCE, Duration.between(now, due).plusMillis(5));
    }
    return Behaviors.same();
  }

  /** Pushes the counts when they changed, and at least once a second (readers check age). */
  private Behavior<Command> onPublish() {
    Instant now = clock.instant();
    boolean heartbeat = !now.isBefore(lastPublished.plus(HEARTBEAT));
    if ((changedSincePublish || heartbeat) && !subscribers.isEmpty()) {
      subscribers.publish(() -> matching.counts(now));
      changedSincePublish = false;
      lastPublished = now;
    }
    return Behaviors.same();
  }

  private void perform() {
    for (Matching.Action action : matching.drain()) {
      if (action instanceof Matching.Dispatch d) {
        sharding
            .entityRefFor(AgentActor.TYPE_KEY, d.agentId())
            .tell(new AgentProtocol.Execute(d.taskId(), d.reason(), d.proficiencies()));
      } else if (action instanceof Matching.SettleLost l) {
        lostReports.send(l);
      } else if (action instanceof Matching.CancelRun c) {
        sharding
            .entityRefFor(AgentActor.TYPE_KEY, c.agentId())
            .tell(new AgentProtocol.CancelRun(c.taskId()));
      } else if (action instanceof Matching.ConfirmRuns c) {
        confirmations.ask(c.agentId(), c.taskIds());
      }
    }
  }
}
