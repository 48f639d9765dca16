package io.agenthive.http.workersocket;

import static akka.http.javadsl.server.Directives.*;

import akka.NotUsed;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.http.javadsl.model.ws.Message;
import akka.http.javadsl.model.ws.TextMessage;
import akka.http.javadsl.server.Route;
import akka.japi.Pair;
import akka.stream.Materializer;
import akka.stream.OverflowStrategy;
import akka.stream.ThrottleMode;
import akka.stream.javadsl.Flow;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import akka.stream.typed.javadsl.ActorSink;
import akka.stream.typed.javadsl.ActorSource;
import io.agenthive.access.Principal;
import io.agenthive.hive.Hive;
import io.agenthive.http.guard.Guard;
import io.agenthive.http.json.WsText;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code /ws/worker}: remote workers connect here with a worker token (or a key with role worker;
 * checked by the guard) and work for the hub (docs/worker-protocol.md). Each socket gets a {@link
 * WorkerSession}; its incoming frames are taken at most {@code messages-per-second} (a flooding
 * worker is slowed by backpressure, nobody else), outgoing frames wait in a bounded buffer (a
 * worker that never reads is dropped).
 */
public final class WorkerSocket {
  private static final String ACCESS_ENDED =
      WorkerFrames.error(
          "access ended: this worker's key was revoked or its token expired; the hub closes the"
              + " socket, and a new connection needs valid credentials");
  private final Hive hive;
  private final WorkerSettings settings;
  private final ActorSystem<?> system;
  private final Materializer mat;

  public WorkerSocket(Hive hive, WorkerSettings settings) {
    this.hive = hive;
    this.settings = settings;
    this.system = hive.system();
    this.mat = Materializer.matFromSystem(system);
  }

  /**
   * The guard has let only a worker (token or key with role worker) get here. Its credentials are
   * checked again while the socket is open: a revoked key's worker is told why and closed on, and
   * its attempts follow the rules for a worker that went away (offered again to it within the grace
   * period, else re-queued).
   */
  public Route route() {
    return Guard.principal(
        worker ->
            Guard.liveAccess(
                live ->
                    handleWebSocketMessages(
                        flow(worker)
                            .via(live.<Message>cutSaying(TextMessage.create(ACCESS_ENDED))))));
  }

  Flow<Message, Message, NotUsed> flow(Principal worker) {
    Pair<ActorRef<WorkerSession.Out>, Source<WorkerSession.Out, NotUsed>> out =
        ActorSource.<WorkerSession.Out>actorRef(
                m -> m instanceof WorkerSession.Close,
                m -> Optional.empty(),
                settings.outboundBuffer(),
                OverflowStrategy.fail())
            .preMaterialize(system);
    ActorRef<WorkerSession.Command> session =
        system.systemActorOf(
            WorkerSession.create(hive, out.first(), settings, worker),
            "worker-session-" + UUID.randomUUID(),
            Props.empty());
    Sink<Message, NotUsed> in =
        Flow.<Message>create()
            .mapAsync(1, m -> WsText.read(m, settings.maxMessageChars(), mat))
            .throttle(
                settings.messagesPerSecond(),
                Duration.ofSeconds(1),
                settings.burst(),
                ThrottleMode.shaping())
            .map(
                i ->
                    i.problem() == null
                        ? (WorkerSession.Command) new WorkerSession.Frame(i.text())
                        : new WorkerSession.Unreadable(i.problem()))
            .to(
                ActorSink.actorRef(
                    session,
                    new WorkerSession.SocketClosed(),
                    error -> new WorkerSession.SocketClosed()));
    Source<Message, NotUsed> outgoing =
        out.second()
            .collectType(WorkerSession.Text.class)
            .map(t -> (Message) TextMessage.create(t.text()));
    return Flow.fromSinkAndSourceCoupled(in, outgoing);
  }
}
