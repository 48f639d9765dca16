package io.agenthive.remoteagent;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.sharding.typed.ClusterShardingSettings;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.agent.AgentActor;
import io.agenthive.agent.AgentLifecycle;
import io.agenthive.agent.AgentProtocol;
import io.agenthive.common.CborSerializable;
import io.agenthive.common.LocalOnly;
import io.agenthive.live.LiveRun;
import io.agenthive.skill.SkillRequest;
import io.agenthive.skill.SkillResult;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The hub's side of one remote agent: the attempts handed to its worker and not yet answered, and
 * the worker's current socket, if any. A sharded entity keyed by agent id, so the agent's skill and
 * the worker's socket find the same link from whichever nodes they are on; the socket says it is
 * still there every heartbeat, so a link that moved (its node was lost) learns the socket back, and
 * a socket whose node is lost counts as a disconnect. Attempts held by a link whose node is lost
 * are gone with it: they end at their deadline and are retried then.
 *
 * <p>Delivery is at-least-once, keyed by (task, attempt): an offer is sent again when the worker
 * reconnects, and only the first answer for a pending attempt counts; a duplicate or an answer for
 * an attempt no longer pending is ignored (the worker hears {@code ignored}). When the socket
 * drops, the agent is marked {@code disconnected} at once, so the matcher offers it no new task;
 * when the socket is gone longer than the grace period, every pending attempt fails as retryable
 * (the task's policy re-queues it, attempt counted). A new socket marks it back.
 */
public final class WorkerLink {
  public static final EntityTypeKey<Command> TYPE_KEY =
      EntityTypeKey.create(Command.class, "WorkerLink");

  public sealed interface Command extends CborSerializable
      permits Run,
          Connected,
          StillConnected,
          Disconnected,
          FromWorker,
          Partial,
          GraceExpired,
          DeadlinePassed,
          Deliver {}

  /**
   * The remote skill's request to run one attempt on the worker; the worker's {@code partial}
   * frames go to {@code live}, the attempt's live output (null: nobody follows it).
   */
  public record Run(
      SkillRequest request, ActorRef<SkillResult> replyTo, ActorRef<LiveRun.Command> live)
      implements Command {
    public Run(SkillRequest request, ActorRef<SkillResult> replyTo) {
      this(request, replyTo, null);
    }
  }

  /** A worker (re)registered on {@code socket}: it takes the link over. */
  public record Connected(ActorRef<ToWorker> socket) implements Command {}

  /**
   * The socket's heartbeat: a link that moved or restarted and has no socket learns it back; a link
   * that has one (a newer registration, say) keeps it.
   */
  public record StillConnected(ActorRef<ToWorker> socket) implements Command {}

  public record Disconnected(ActorRef<ToWorker> socket) implements Command {}

  /** An answer from the worker; {@code kind} is accepted, progress, result or failed. */
  public record FromWorker(
      String kind,
      String taskId,
      int attempt,
      JsonNode output,
      Double qualityScore,
      String error,
      boolean retryable)
      implements Command {}

  /** Text the worker produced so far for its pending attempt of {@code taskId}: told, not kept. */
  public record Partial(String taskId, int attempt, String text) implements Command {}

  private record GraceExpired() implements Command, LocalOnly {}

  private record DeadlinePassed(String key) implements Command, LocalOnly {}

  /** A result to hand over now that the attempt's live output has taken the text before it. */
  private record Deliver(ActorRef<SkillResult> replyTo, SkillResult result)
      implements Command, LocalOnly {}

  /** How long a result waits for the live output to confirm it has the text sent before it. */
  private static final Duration SYNC_WAIT = Duration.ofSeconds(2);

  /** What the link asks the socket to send. */
  public sealed interface ToWorker extends CborSerializable {}

  public record Offer(SkillRequest request) implements ToWorker {}

  public record Ignored(String taskId, int attempt, String reason) implements ToWorker {}

  /** The socket holds the link now: the worker may be told it is registered. */
  public record Welcome() implements ToWorker {}

  /** Another socket holds the agent: this one is refused, and told why. */
  public record Taken(String why) implements ToWorker {}

  /** A frame the link could not take (a partial for no pending attempt): an error frame. */
  public record Refused(String message) implements ToWorker {}

  private record Pending(
      SkillRequest request, ActorRef<SkillResult> replyTo, ActorRef<LiveRun.Command> live) {}

  /** Shards links on this node; a link holds attempts in memory, so it never passivates. */
  public static void init(ActorSystem<?> system) {
    Duration grace = system.settings().config().getDuration("hive.workers.grace-period");
    ClusterSharding.get(system)
        .init(
            Entity.of(TYPE_KEY, entity -> create(entity.getEntityId(), grace))
                .withSettings(ClusterShardingSettings.create(system).withNoPassivationStrategy()));
  }

  public static Behavior<Command> create(String agentId, Duration grace) {
    return Behaviors.<Command>supervise(
            Behaviors.setup(
                ctx ->
                    Behaviors.withTimers(
                        timers -> new WorkerLink(agentId, grace, ctx, timers).behavior())))
        .onFailure(SupervisorStrategy.restart());
  }

  private final String agentId;
  private final Duration grace;
  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final Map<String, Pending> pending = new LinkedHashMap<>();
  private ActorRef<ToWorker> socket;

  private WorkerLink(
      String agentId,
      Duration grace,
      ActorContext<Command> context,
      TimerScheduler<Command> timers) {
    this.agentId = agentId;
    this.grace = grace;
    this.context = context;
    this.timers = timers;
    // created before any worker connected (e.g. a recovered agent given a task after a restart):
    // the worker has the grace period to come back like after any disconnect
    timers.startSingleTimer("grace", new GraceExpired(), grace);
  }

  private static String key(String taskId, int attempt) {
    return taskId + "#" + attempt;
  }

  private Behavior<Command> behavior() {
    return Behaviors.receive(Command.class)
        .onMessage(Run.class, this::onRun)
        .onMessage(Connected.class, this::onConnected)
        .onMessage(
            StillConnected.class,
            c -> socket == null ? onConnected(new Connected(c.socket())) : Behaviors.same())
        .onMessage(Disconnected.class, this::onDisconnected)
        .onMessage(FromWorker.class, this::onAnswer)
        .onMessage(Partial.class, this::onPartial)
        .onMessage(GraceExpired.class, m -> onGraceExpired())
        .onMessage(DeadlinePassed.class, this::onDeadline)
        .onMessage(
            Deliver.class,
            d -> {
              d.replyTo().tell(d.result());
              return Behaviors.same();
            })
        .build();
  }

  private Behavior<Command> onRun(Run run) {
    SkillRequest r = run.request();
    // an older attempt of the same task is over for the hub: drop it
    pending.entrySet().removeIf(e -> e.getValue().request().taskId().equals(r.taskId()));
    String key = key(r.taskId(), r.attempt());
    pending.put(key, new Pending(r, run.replyTo(), run.live()));
    Duration untilDeadline = Duration.between(Instant.now(), r.deadline());
    timers.startSingleTimer(
        key,
        new DeadlinePassed(key),
        untilDeadline.isNegative() ? Duration.ZERO : untilDeadline.plusSeconds(1));
    if (socket != null) {
      socket.tell(new Offer(r));
    }
    return Behaviors.same();
  }

  private Behavior<Command> onConnected(Connected c) {
    if (c.socket().equals(socket)) {
      c.socket().tell(new Welcome());
      return Behaviors.same();
    }
    if (socket != null) {
      // one socket at a time: a second one (a stolen credential, or a worker started twice) must
      // not take over the attempts and results of the one connected
      c.socket()
          .tell(
              new Taken(
                  "agent "
                      + agentId
                      + " is held by another connection; it is free once that connection ends"
                      + " (a silent one is dropped after the heartbeat timeout)"));
      return Behaviors.same();
    }
    timers.cancel("grace");
    socket = c.socket();
    socket.tell(new Welcome());
    // a socket on a node that is lost never says goodbye: its end is a disconnect too
    context.watchWith(socket, new Disconnected(socket));
    // the link is the one that marks the agent disconnected, so it is the one that undoes it:
    // both go from here to the agent in order, whatever the new socket's registration raced
    tellAgent(AgentLifecycle.Transition.RECONNECT);
    pending.values().forEach(p -> socket.tell(new Offer(p.request())));
    return Behaviors.same();
  }

  private Behavior<Command> onDisconnected(Disconnected d) {
    if (d.socket().equals(socket)) {
      context.unwatch(socket);
      socket = null;
      timers.startSingleTimer("grace", new GraceExpired(), grace);
      // no new work from now on; the attempts it holds wait out the grace period for the
      // worker to come back (docs/worker-protocol.md) and are offered again if it does
      tellAgent(AgentLifecycle.Transition.DISCONNECT);
    }
    return Behaviors.same();
  }

  private void tellAgent(AgentLifecycle.Transition transition) {
    ClusterSharding.get(context.getSystem())
        .entityRefFor(AgentActor.TYPE_KEY, agentId)
        .tell(new AgentProtocol.ChangeState(transition, true, context.getSystem().ignoreRef()));
  }

  private Behavior<Command> onAnswer(FromWorker a) {
    String key = key(a.taskId(), a.attempt());
    Pending p = pending.get(key);
    if (p == null) {
      if (socket != null && !a.kind().equals("progress")) {
        socket.tell(
            new Ignored(
                a.taskId(),
                a.attempt(),
                "no such attempt pending: a duplicate, or a stale or unknown attempt"));
      }
      return Behaviors.same();
    }
    switch (a.kind()) {
      case "result" -> finish(key, p, SkillResult.succeeded(a.output(), a.qualityScore()));
      case "failed" ->
          finish(
              key,
              p,
              a.retryable() ? SkillResult.failed(a.error()) : SkillResult.failedFinal(a.error()));
      default -> context.getLog().debug("Worker of agent [{}]: {} for {}", agentId, a.kind(), key);
    }
    return Behaviors.same();
  }

  /**
   * To the pending attempt (task and attempt, as results are matched): text of an older attempt of
   * the same task must not be added to the new one's live output.
   */
  private Behavior<Command> onPartial(Partial p) {
    Pending attempt = pending.get(key(p.taskId(), p.attempt()));
    if (attempt == null) {
      if (socket != null) {
        socket.tell(
            new Refused(
                "partial for "
                    + key(p.taskId(), p.attempt())
                    + ": no such attempt pending (a stale, finished or unknown attempt)"));
      }
    } else if (attempt.live() != null) {
      attempt.live().tell(new LiveRun.Append(p.text()));
    }
    return Behaviors.same();
  }

  private void finish(String key, Pending p, SkillResult result) {
    pending.remove(key);
    timers.cancel(key);
    if (p.live() == null) {
      p.replyTo().tell(result);
      return;
    }
    // the worker's partial frames came before its result on one socket; the Appends and the
    // result go to different actors (maybe on other nodes, other lanes), so the result is held
    // until the live output has handled the Appends sent before this Sync — else the attempt
    // could end, and its live output stop, without the last pieces. A live output that is gone
    // or slow only delays the result by SYNC_WAIT.
    context.ask(
        akka.Done.class,
        p.live(),
        SYNC_WAIT,
        LiveRun.Sync::new,
        (ok, error) -> new Deliver(p.replyTo(), result));
  }

  private Behavior<Command> onGraceExpired() {
    if (socket != null) {
      return Behaviors.same();
    }
    for (Map.Entry<String, Pending> e : Map.copyOf(pending).entrySet()) {
      finish(
          e.getKey(),
          e.getValue(),
          SkillResult.failed(
              "worker of agent "
                  + agentId
                  + " disconnected for longer than "
                  + grace.toSeconds()
                  + " s"));
    }
    // a link that never had a socket (a recovered agent given a task) marks it only now
    tellAgent(AgentLifecycle.Transition.DISCONNECT);
    return Behaviors.same();
  }

  private Behavior<Command> onDeadline(DeadlinePassed d) {
    Pending p = pending.remove(d.key());
    if (p != null) {
      p.replyTo().tell(SkillResult.failed("no answer from the worker before the deadline"));
    }
    return Behaviors.same();
  }
}
