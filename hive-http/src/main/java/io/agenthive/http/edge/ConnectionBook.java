package io.agenthive.http.edge;

import akka.Done;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.headers.Connection;
import akka.stream.KillSwitch;
import java.net.InetAddress;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The connections open on one binding: how many each address holds (a new one past {@code
 * max-per-address} is refused), and each one's switch, so that termination can close them. akka-
 * http's own binding counts connections only in all, which one client with a thousand half-sent
 * requests fills alone.
 */
final class ConnectionBook {
  private final int maxPerAddress;
  private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
  private final Set<Open> open = ConcurrentHashMap.newKeySet();
  private final CompletableFuture<Done> allClosed = new CompletableFuture<>();
  private volatile boolean terminating;

  ConnectionBook(int maxPerAddress) {
    this.maxPerAddress = maxPerAddress;
  }

  /** One admitted connection: whether a request on it waits for its answer, and its switch. */
  final class Open {
    private final InetAddress address;
    private volatile KillSwitch kill;
    private volatile boolean waiting;

    private Open(InetAddress address) {
      this.address = address;
    }

    void switchedBy(KillSwitch kill) {
      this.kill = kill;
      if (terminating && !waiting) {
        kill.shutdown();
      }
    }

    void requestArrived() {
      waiting = true;
    }

    /** While terminating, the answer closes its connection once it is sent. */
    HttpResponse answered(HttpResponse response) {
      waiting = false;
      return terminating && response.status().intValue() != 101
          ? response.addHeader(Connection.create("close"))
          : response;
    }

    void closed() {
      if (open.remove(this)) {
        perAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
      }
      if (terminating && open.isEmpty()) {
        allClosed.complete(Done.getInstance());
      }
    }

    private void shutdownUnlessWaiting() {
      KillSwitch k = kill;
      if (k != null && !waiting) {
        k.shutdown();
      }
    }

    private void abort() {
      KillSwitch k = kill;
      if (k != null) {
        k.abort(new IllegalStateException("the hub is shutting down"));
      }
    }
  }

  /** A connection from {@code address}, or empty when that address holds its most already. */
  Optional<Open> admit(InetAddress address) {
    boolean[] admitted = {false};
    perAddress.compute(
        address,
        (a, n) -> {
          int held = n == null ? 0 : n;
          if (held >= maxPerAddress) {
            return n;
          }
          admitted[0] = true;
          return held + 1;
        });
    if (!admitted[0]) {
      return Optional.empty();
    }
    Open connection = new Open(address);
    open.add(connection);
    return Optional.of(connection);
  }

  int openConnections() {
    return open.size();
  }

  /**
   * Closes every connection: those between requests now, the others once their answer is sent (it
   * says {@code Connection: close}); {@link #abortAll} ends what is left at the deadline. As
   * akka-http's own termination does, open WebSockets and event streams end at once.
   */
  CompletionStage<Done> terminate() {
    terminating = true;
    open.forEach(Open::shutdownUnlessWaiting);
    if (open.isEmpty()) {
      allClosed.complete(Done.getInstance());
    }
    return allClosed;
  }

  void abortAll() {
    open.forEach(Open::abort);
  }
}
