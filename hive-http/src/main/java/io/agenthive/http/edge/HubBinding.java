package io.agenthive.http.edge;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.stream.javadsl.Tcp;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * The bound API: where it listens, how many connections it holds, and how it stops — as akka-http's
 * {@code ServerBinding} does: unbind first, then let answers in progress finish (each closing its
 * connection) while idle connections close at once, and close whatever is left at the deadline.
 */
public final class HubBinding {
  private final Tcp.ServerBinding tcp;
  private final ConnectionBook book;
  private final ActorSystem<?> system;

  HubBinding(Tcp.ServerBinding tcp, ConnectionBook book, ActorSystem<?> system) {
    this.tcp = tcp;
    this.book = book;
    this.system = system;
  }

  public InetSocketAddress localAddress() {
    return tcp.localAddress();
  }

  /** Connections open now (admitted ones; refused ones are not counted). */
  public int openConnections() {
    return book.openConnections();
  }

  /** Stops accepting connections; those open stay. */
  public CompletionStage<Done> unbind() {
    return tcp.unbind().thenApply(u -> Done.getInstance());
  }

  /** Unbinds, then closes every connection, at the latest after {@code hardDeadline}. */
  public CompletionStage<Done> terminate(Duration hardDeadline) {
    return unbind()
        .thenCompose(
            unbound -> {
              var deadline =
                  system
                      .scheduler()
                      .scheduleOnce(hardDeadline, book::abortAll, system.executionContext());
              return book.terminate().whenComplete((d, e) -> deadline.cancel());
            });
  }

  /** Unbinds in service-unbind and terminates in service-requests-done, as akka-http's does. */
  public HubBinding addToCoordinatedShutdown(Duration hardDeadline) {
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
    String name = "http-" + localAddress();
    shutdown.addTask(CoordinatedShutdown.PhaseServiceUnbind(), name + "-unbind", this::unbind);
    shutdown.addTask(
        CoordinatedShutdown.PhaseServiceRequestsDone(),
        name + "-terminate",
        () -> terminate(hardDeadline));
    return this;
  }
}
