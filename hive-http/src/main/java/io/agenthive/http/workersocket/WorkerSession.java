package io.agenthive.http.workersocket;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agenthive.access.Principal;
import io.agenthive.agent.AgentLifecycle;
import io.agenthive.agent.AgentState;
import io.agenthive.agent.AgentView;
import io.agenthive.common.LocalOnly;
import io.agenthive.hive.Hive;
import io.agenthive.http.api.AgentRequest;
import io.agenthive.http.json.ApiError;
import io.agenthive.http.json.Json;
import io.agenthive.remoteagent.RemoteSkill;
import io.agenthive.remoteagent.RemoteWorkers;
import io.agenthive.remoteagent.WorkerLink;
import io.agenthive.tracing.HiveTracing;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One worker's socket, from its {@code register} frame to its end: registers or resumes the agent,
 * passes answers to the agent's {@link WorkerLink} and offers from it to the socket, sends
 * heartbeats and drops a worker that stays silent. Bad frames get an error frame and change
 * nothing.
 */
public final class WorkerSession {
  sealed interface Command extends LocalOnly
      permits Frame, Unreadable, SocketClosed, Registered, RegisterFailed, FromLink, Tick {}

  record Frame(String text) implements Command {}

  record Unreadable(String problem) implements Command {}

  record SocketClosed() implements Command {}

  private record Registered(AgentView agent) implements Command {}

  private record RegisterFailed(String error) implements Command {}

  private record FromLink(WorkerLink.ToWorker message) implements Command {}

  private record Tick() implements Command {}

  /** What goes out on the socket: a text frame, or the end of the connection. */
  sealed interface Out {}

  record Text(String text) implements Out {}

  record Close() implements Out {}

  /** A session for a worker that connected as {@code worker} (journaled with its agent). */
  static Behavior<Command> create(
      Hive hive, ActorRef<Out> out, WorkerSettings settings, Principal worker) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers ->
                    new WorkerSession(hive, out, settings, worker, ctx, timers).unregistered()));
  }

  private final Hive hive;
  private final ActorRef<Out> out;
  private final WorkerSettings settings;
  private final Principal worker;
  private final ActorContext<Command> context;
  private final ActorRef<WorkerLink.ToWorker> fromLink;
  private long lastHeardNanos = System.nanoTime();
  private EntityRef<WorkerLink.Command> link;
  private boolean registering;

  private WorkerSession(
      Hive hive,
      ActorRef<Out> out,
      WorkerSettings settings,
      Principal worker,
      ActorContext<Command> context,
      TimerScheduler<Command> timers) {
    this.hive = hive;
    this.out = out;
    this.settings = settings;
    this.worker = worker;
    this.context = context;
    this.fromLink = context.messageAdapter(WorkerLink.ToWorker.class, FromLink::new);
    timers.startTimerWithFixedDelay(new Tick(), settings.heartbeatInterval());
  }

  private Behavior<Command> unregistered() {
    return Behaviors.receive(Command.class)
        .onMessage(
            Frame.class,
            f -> {
              ObjectNode frame = read(f);
              if (frame == null) {
                return Behaviors.same();
              }
              if (!frame.get("type").asText().equals("register") || registering) {
                send(
                    WorkerFrames.error(
                        registering
                            ? "registration in progress"
                            : "register first: {\"type\": \"register\", \"name\": ..., ...}"));
                return Behaviors.same();
              }
              registering = true;
              context.pipeToSelf(
                  register(frame),
                  (agent, error) ->
                      error == null ? new Registered(agent) : new RegisterFailed(describe(error)));
              return Behaviors.same();
            })
        .onMessage(
            Registered.class,
            r -> {
              link = RemoteWorkers.link(context.getSystem(), r.agent().id());
              link.tell(new WorkerLink.Connected(fromLink));
              return joining(r.agent());
            })
        .onMessage(
            RegisterFailed.class,
            r -> {
              registering = false;
              send(WorkerFrames.error("registration refused: " + r.error()));
              return Behaviors.same();
            })
        .onMessage(Unreadable.class, this::onUnreadable)
        .onMessage(Tick.class, t -> tick())
        .onMessage(SocketClosed.class, c -> Behaviors.stopped())
        .build();
  }

  /** Until the link says this socket holds the agent, or that another one does. */
  private Behavior<Command> joining(AgentView agent) {
    return Behaviors.receive(Command.class)
        .onMessage(
            FromLink.class,
            m -> {
              if (m.message() instanceof WorkerLink.Welcome) {
                send(WorkerFrames.registered(agent.id(), agent.maxConcurrency(), settings));
                context
                    .getLog()
                    .info("Worker connected for agent [{}] ({})", agent.id(), agent.name());
                return registered();
              }
              if (m.message() instanceof WorkerLink.Taken t) {
                send(WorkerFrames.error("resume refused: " + t.why()));
                out.tell(new Close());
                return closing(0);
              }
              return Behaviors.same();
            })
        .onMessage(Frame.class, f -> onEarlyFrame(f))
        .onMessage(Unreadable.class, this::onUnreadable)
        .onMessage(Tick.class, t -> tick())
        .onMessage(SocketClosed.class, c -> Behaviors.stopped())
        .build();
  }

  /**
   * Closed by the hub after a last frame: the session lives until the socket has ended, because the
   * socket's inbound side stops with this actor and takes the outbound side with it, and the last
   * frame (why the hub closed) would then be lost before it was sent (a second worker for a held
   * agent was sometimes closed without being told why). A full heartbeat interval later the session
   * ends regardless: the second tick from now.
   */
  private Behavior<Command> closing(int ticks) {
    return Behaviors.receive(Command.class)
        .onMessage(SocketClosed.class, c -> Behaviors.stopped())
        .onMessage(Tick.class, t -> ticks >= 1 ? Behaviors.stopped() : closing(ticks + 1))
        .onAnyMessage(m -> Behaviors.same())
        .build();
  }

  private Behavior<Command> onEarlyFrame(Frame f) {
    if (read(f) != null) {
      send(WorkerFrames.error("registration in progress"));
    }
    return Behaviors.same();
  }

  private Behavior<Command> registered() {
    return Behaviors.receive(Command.class)
        .onMessage(
            Frame.class,
            f -> {
              ObjectNode frame = read(f);
              if (frame == null) {
                return Behaviors.same();
              }
              switch (frame.get("type").asText()) {
                case "heartbeat" -> {}
                case "accepted", "progress", "result", "failed" -> {
                  try {
                    link.tell(WorkerFrames.answer(frame));
                  } catch (WorkerFrames.BadFrame e) {
                    send(WorkerFrames.error(e.getMessage()));
                  }
                }
                case "partial" -> {
                  try {
                    link.tell(WorkerFrames.partial(frame));
                  } catch (WorkerFrames.BadFrame e) {
                    send(WorkerFrames.error(e.getMessage()));
                  }
                }
                case "register" -> send(WorkerFrames.error("already registered"));
                default ->
                    send(
                        WorkerFrames.error(
                            "unknown frame type \"" + frame.get("type").asText() + "\""));
              }
              return Behaviors.same();
            })
        .onMessage(Unreadable.class, this::onUnreadable)
        .onMessage(
            FromLink.class,
            m -> {
              if (m.message() instanceof WorkerLink.Offer o) {
                send(
                    WorkerFrames.taskAssigned(
                        o.request(),
                        HiveTracing.get(context.getSystem()).runTraceparent(o.request().taskId())));
              } else if (m.message() instanceof WorkerLink.Ignored i) {
                send(WorkerFrames.ignored(i));
              } else if (m.message() instanceof WorkerLink.Refused r) {
                send(WorkerFrames.error(r.message()));
              }
              return Behaviors.same();
            })
        .onMessage(Tick.class, t -> tick())
        .onMessage(SocketClosed.class, c -> gone())
        .build();
  }

  /** Registers a new remote agent, or resumes the one named by {@code agent_id}. */
  private CompletionStage<AgentView> register(ObjectNode frame) {
    String agentId = frame.path("agent_id").asText(null);
    if (agentId == null) {
      ObjectNode spec = Json.MAPPER.createObjectNode();
      spec.set("name", frame.get("name"));
      // "type" is the frame's own ("register"): the agent's type is agent_type, default worker
      spec.set(
          "agent_type",
          frame.has("agent_type")
              ? frame.get("agent_type")
              : com.fasterxml.jackson.databind.node.TextNode.valueOf("worker"));
      spec.set("capabilities", frame.get("capabilities"));
      if (frame.has("max_concurrency")) {
        spec.set("max_concurrency", frame.get("max_concurrency"));
      }
      spec.put("skill", RemoteSkill.NAME);
      try {
        return hive.agents().register(AgentRequest.parse(spec, true), worker);
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    return hive.agents()
        .get(agentId)
        .thenCompose(
            found -> {
              AgentView a =
                  found.orElseThrow(
                      () ->
                          new IllegalArgumentException(
                              "no agent " + agentId + " (omit agent_id to register a new one)"));
              if (!RemoteSkill.NAME.equals(a.skill()) || a.state() == AgentState.RETIRED) {
                throw new IllegalArgumentException(
                    "agent " + agentId + " is not a remote agent that can be resumed");
              }
              return hive.agents()
                  .changeState(agentId, AgentLifecycle.Transition.RECONNECT, true, worker);
            });
  }

  private Behavior<Command> tick() {
    long silentNanos = System.nanoTime() - lastHeardNanos;
    if (silentNanos > settings.heartbeatTimeout().toNanos()) {
      context.getLog().warn("Worker silent for {} ms: closing its socket", silentNanos / 1_000_000);
      out.tell(new Close());
      return gone();
    }
    send(WorkerFrames.heartbeat());
    if (link != null) {
      // a link that moved to another node learns the socket back
      link.tell(new WorkerLink.StillConnected(fromLink));
    }
    return Behaviors.same();
  }

  private Behavior<Command> gone() {
    if (link != null) {
      link.tell(new WorkerLink.Disconnected(fromLink));
    }
    return Behaviors.stopped();
  }

  /** The frame as an object, or null after answering with an error frame. */
  private ObjectNode read(Frame f) {
    heard();
    try {
      return WorkerFrames.parse(f.text());
    } catch (WorkerFrames.BadFrame e) {
      send(WorkerFrames.error(e.getMessage()));
      return null;
    }
  }

  private Behavior<Command> onUnreadable(Unreadable u) {
    heard();
    send(WorkerFrames.error(u.problem()));
    return Behaviors.same();
  }

  private void heard() {
    lastHeardNanos = System.nanoTime();
  }

  private void send(String text) {
    out.tell(new Text(text));
  }

  private static String describe(Throwable error) {
    Throwable c = io.agenthive.common.Failures.cause(error);
    java.util.List<io.agenthive.common.FieldError> fields =
        c instanceof ApiError api
            ? api.fieldErrors()
            : c instanceof io.agenthive.common.HiveException h
                ? h.fieldErrors()
                : java.util.List.of();
    return fields.isEmpty()
        ? c.getMessage()
        : fields.stream().map(e -> e.field() + " " + e.message()).toList().toString();
  }
}
