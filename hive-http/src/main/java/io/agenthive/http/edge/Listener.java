package io.agenthive.http.edge;

import akka.Done;
import akka.NotUsed;
import akka.actor.typed.ActorSystem;
import akka.event.Logging;
import akka.event.LoggingAdapter;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.scaladsl.settings.ServerSettings;
import akka.japi.Pair;
import akka.stream.Attributes;
import akka.stream.KillSwitches;
import akka.stream.Materializer;
import akka.stream.TLSClosing;
import akka.stream.TLSProtocol.SendBytes;
import akka.stream.TLSProtocol.SslTlsInbound;
import akka.stream.TLSProtocol.SslTlsOutbound;
import akka.stream.UniqueKillSwitch;
import akka.stream.javadsl.BidiFlow;
import akka.stream.javadsl.Flow;
import akka.stream.javadsl.Keep;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import akka.stream.javadsl.TLS;
import akka.stream.javadsl.TLSPlacebo;
import akka.stream.javadsl.Tcp;
import akka.util.ByteString;
import io.agenthive.metrics.HiveMetrics;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * The hub's HTTP listener: akka-http's own server layer (parsing, rendering, request timeout,
 * WebSocket upgrades) over a TCP binding of ours, so that each connection can be looked at before
 * it costs anything. Per connection, from the network up: TCP; a switch to close it; the idle
 * timeout; TLS when configured; the {@link HeaderDeadline}; akka-http; the routes. A connection
 * past its address's cap is answered 503 and closed without reaching akka-http; past the cap in
 * all, new ones wait in the operating system's accept queue, as with akka-http's own binding.
 */
public final class Listener {
  private final ActorSystem<?> system;
  private final ConnectionSettings limits;
  private final Optional<SSLContext> tls;
  private final akka.japi.function.Function<HttpRequest, CompletionStage<HttpResponse>> handler;
  private final ServerSettings serverSettings;
  private final LoggingAdapter log;
  private final Materializer mat;
  private final ConnectionBook book;
  private final AtomicInteger lingering = new AtomicInteger();
  private final ConnectionMetrics metrics;

  private Listener(
      ActorSystem<?> system,
      ConnectionSettings limits,
      Optional<SSLContext> tls,
      akka.japi.function.Function<HttpRequest, CompletionStage<HttpResponse>> handler) {
    this.system = system;
    this.limits = limits;
    this.tls = tls;
    this.handler = handler;
    this.serverSettings = ServerSettings.apply(system.settings().config());
    this.log = Logging.getLogger(system.classicSystem(), (Object) Listener.class);
    this.mat = Materializer.matFromSystem(system);
    this.book = new ConnectionBook(limits.maxPerAddress());
    this.metrics = ConnectionMetrics.register(HiveMetrics.get(system), book::openConnections);
  }

  /** Binds {@code host:port} and serves {@code handler} on every connection it admits. */
  public static CompletionStage<HubBinding> bind(
      ActorSystem<?> system,
      String host,
      int port,
      ConnectionSettings limits,
      Optional<SSLContext> tls,
      akka.japi.function.Function<HttpRequest, CompletionStage<HttpResponse>> handler) {
    Listener listener = new Listener(system, limits, tls, handler);
    return Tcp.get(system)
        .bind(
            host,
            port,
            limits.backlog(),
            listener.serverSettings.getSocketOptions(),
            false,
            Optional.empty()) // idle connections are closed above, per connection
        .mapAsyncUnordered(limits.max(), listener::serve)
        .to(Sink.ignore())
        .run(listener.mat)
        .thenApply(tcp -> new HubBinding(tcp, listener.book, system));
  }

  /**
   * Completes when the connection has closed; its failure is its own, never the binding's. A
   * refusal completes at once: it takes no place among the connections served, else a flood of them
   * (each lingering) would fill that count and keep the next client in the accept queue.
   */
  private CompletionStage<Done> serve(Tcp.IncomingConnection connection) {
    var admitted = book.admit(connection.remoteAddress().getAddress());
    try {
      if (admitted.isEmpty()) {
        metrics.perAddress();
        refuse(connection, RawAnswers.tooManyConnections(limits.maxPerAddress()));
        return CompletableFuture.completedFuture(Done.getInstance());
      }
      return http(connection, admitted.get()).exceptionally(e -> Done.getInstance());
    } catch (RuntimeException e) {
      admitted.ifPresent(ConnectionBook.Open::closed); // else its address would keep the place
      log.error(e, "Could not serve the connection from {}", connection.remoteAddress());
      return CompletableFuture.completedFuture(Done.getInstance());
    }
  }

  private CompletionStage<Done> http(Tcp.IncomingConnection connection, ConnectionBook.Open open) {
    Flow<HttpRequest, HttpResponse, NotUsed> routes =
        Flow.<HttpRequest>create()
            .map(
                r -> {
                  open.requestArrived();
                  return r;
                })
            // one request at a time per connection, as akka-http's pipelining-limit of 1
            .mapAsync(1, handler::apply)
            .map(open::answered);
    BidiFlow<ByteString, ByteString, ByteString, ByteString, UniqueKillSwitch> bytes =
        BidiFlow.<ByteString, ByteString>bidirectionalIdleTimeout(limits.idleTimeout())
            .atop(
                BidiFlow.fromGraph(KillSwitches.<ByteString, ByteString>singleBidi()),
                Keep.right());
    BidiFlow<HttpResponse, ByteString, ByteString, HttpRequest, UniqueKillSwitch> layers =
        httpLayer(connection)
            .atop(HeaderDeadline.of(limits.headerTimeout(), metrics::headerTimeout))
            .atop(tls())
            .atop(bytes, Keep.right());
    Flow<HttpResponse, HttpRequest, Pair<UniqueKillSwitch, CompletionStage<Done>>> server =
        layers.join(watched(connection), Keep.both());
    Pair<UniqueKillSwitch, CompletionStage<Done>> running =
        routes
            .joinMat(server, Keep.right())
            .withAttributes(
                Attributes.none()
                    .and(
                        new Attributes.CancellationStrategy(
                            Attributes.cancellationStrategyAfterDelay(
                                serverSettings.streamCancellationDelay(),
                                Attributes.cancellationStrategyFailStage()))))
            .run(mat);
    open.switchedBy(running.first());
    return running.second().whenComplete((d, e) -> open.closed());
  }

  /**
   * Writes {@code answer} and closes. The connection is held up to {@code refusal-linger} while
   * what the client already sent is read, so that the answer is not lost to a reset; it ends sooner
   * when the client closes first. At most {@code max} refusals linger at once; past that they close
   * as soon as the answer is written.
   */
  private void refuse(Tcp.IncomingConnection connection, ByteString answer) {
    boolean linger = lingering.incrementAndGet() <= limits.max();
    Source<SslTlsOutbound, NotUsed> out = Source.single(new SendBytes(answer));
    if (linger) {
      out =
          out.concat(Source.maybe())
              .takeWithin(limits.refusalLinger())
              .mapMaterializedValue(m -> NotUsed.getInstance());
    }
    // a refusal is over within its linger, whatever the client does: one that never finishes a
    // TLS handshake (so the answer cannot be sent) or never reads would otherwise hold its
    // connection, uncounted, for as long as it likes
    Flow<SslTlsOutbound, SslTlsInbound, CompletionStage<Done>> network =
        tls()
            .join(
                connection
                    .flow()
                    .completionTimeout(limits.refusalLinger().plusSeconds(2))
                    .watchTermination(Keep.right()),
                Keep.right());
    try {
      Flow.fromSinkAndSourceCoupled(Sink.<SslTlsInbound>ignore(), out)
          .joinMat(network, Keep.right())
          .run(mat)
          .whenComplete((d, e) -> lingering.decrementAndGet());
    } catch (RuntimeException e) {
      lingering.decrementAndGet();
      throw e;
    }
  }

  /** The connection's bytes, completing when it has closed, whichever side closed it. */
  private static Flow<ByteString, ByteString, CompletionStage<Done>> watched(
      Tcp.IncomingConnection connection) {
    return connection.flow().watchTermination(Keep.right());
  }

  /** akka-http's server layer, in the javadsl's types, knowing the peer and whether it is TLS. */
  private BidiFlow<HttpResponse, SslTlsOutbound, SslTlsInbound, HttpRequest, NotUsed> httpLayer(
      Tcp.IncomingConnection connection) {
    BidiFlow<
            akka.http.scaladsl.model.HttpResponse,
            SslTlsOutbound,
            SslTlsInbound,
            akka.http.scaladsl.model.HttpRequest,
            NotUsed>
        layer =
            new BidiFlow<>(
                ((akka.http.scaladsl.HttpExt) akka.http.scaladsl.Http.get(system.classicSystem()))
                    .serverLayer(
                        serverSettings,
                        scala.Option.apply(connection.remoteAddress()),
                        log,
                        tls.isPresent()));
    // the scaladsl model classes are the javadsl's implementations: these casts always hold
    return BidiFlow.fromFlows(
            Flow.<HttpResponse>create().map(r -> (akka.http.scaladsl.model.HttpResponse) r),
            Flow.<akka.http.scaladsl.model.HttpRequest>create().map(r -> (HttpRequest) r))
        .atop(layer);
  }

  @SuppressWarnings("unchecked")
  private BidiFlow<SslTlsOutbound, ByteString, ByteString, SslTlsInbound, NotUsed> tls() {
    if (tls.isEmpty()) {
      // the placebo's inbound elements are SessionBytes, a kind of SslTlsInbound
      return (BidiFlow<SslTlsOutbound, ByteString, ByteString, SslTlsInbound, NotUsed>)
          (BidiFlow<?, ?, ?, ?, ?>) TLSPlacebo.getInstance();
    }
    SSLContext context = tls.get();
    return TLS.create(
        () -> {
          SSLEngine engine = context.createSSLEngine();
          engine.setUseClientMode(false);
          return engine;
        },
        TLSClosing.eagerClose());
  }
}
