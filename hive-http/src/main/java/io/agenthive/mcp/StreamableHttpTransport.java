package io.agenthive.mcp;

import static akka.http.javadsl.server.Directives.*;

import akka.http.javadsl.marshalling.sse.EventStreamMarshalling;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.model.sse.ServerSentEvent;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.unmarshalling.Unmarshaller;
import akka.stream.BoundedSourceQueue;
import akka.stream.Materializer;
import akka.stream.javadsl.Source;
import io.agenthive.caller.Caller;
import io.agenthive.caller.LiveAccess;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerSession;
import io.modelcontextprotocol.spec.McpStreamableServerTransport;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * MCP's Streamable HTTP transport on akka-http, at {@code /mcp}: the SDK's session machinery,
 * carried by our routes instead of a servlet. POST takes one JSON-RPC message; {@code initialize}
 * answers JSON with an {@code Mcp-Session-Id}, other requests answer a short event stream (progress
 * notifications, then the response); GET opens the session's stream for server-initiated messages
 * (resource updates); DELETE ends the session. Sessions live on the node that made them, in memory
 * ({@link McpSessions}: each its opener's alone, a cap per principal), and expire after {@code
 * idle} without a request.
 */
final class StreamableHttpTransport implements McpStreamableServerTransportProvider {
  static final String SESSION_HEADER = "Mcp-Session-Id";
  private static final int STREAM_BUFFER = 256;

  private final McpJsonMapper mapper;
  private final Materializer materializer;
  private final SubscriptionWatcher watcher;
  private final McpSessions sessions;
  private volatile McpStreamableServerSession.Factory factory;
  private final int maxName;

  StreamableHttpTransport(
      McpJsonMapper mapper,
      Materializer materializer,
      SubscriptionWatcher watcher,
      Duration idle,
      int maxSessions,
      int maxSessionsPerPrincipal,
      int maxName) {
    this.mapper = mapper;
    this.maxName = maxName;
    this.materializer = materializer;
    this.watcher = watcher;
    this.sessions = new McpSessions(idle, maxSessions, maxSessionsPerPrincipal);
  }

  @Override
  public void setSessionFactory(McpStreamableServerSession.Factory sessionFactory) {
    this.factory = sessionFactory;
  }

  @Override
  public Mono<Void> notifyClients(String method, Object params) {
    return Flux.fromIterable(sessions.all())
        .flatMap(s -> s.sendNotification(method, params).onErrorComplete())
        .then();
  }

  @Override
  public Mono<Void> notifyClient(String sessionId, String method, Object params) {
    return sessions
        .anyById(sessionId)
        .map(s -> s.sendNotification(method, params))
        .orElse(Mono.empty());
  }

  @Override
  public Mono<Void> closeGracefully() {
    return Flux.fromIterable(sessions.all())
        .flatMap(s -> s.closeGracefully().onErrorComplete())
        .then(Mono.fromRunnable(sessions::clear));
  }

  /**
   * {@code /mcp}, inside the guard: the caller is known and may at least read, and may use only the
   * sessions it opened. Its event streams (a long call's answer, the session's own stream) end when
   * the caller's access does, as the hub's other event streams do.
   */
  Route route() {
    return path(
        "mcp",
        () ->
            extractRequest(
                request ->
                    Caller.principal(
                        caller ->
                            Caller.liveAccess(
                                live -> methods(new Call(request, caller.label()), live)))));
  }

  /** POST a message, GET the session's stream, DELETE the session. */
  private Route methods(Call call, LiveAccess live) {
    return concat(
        post(() -> entity(Unmarshaller.entityToString(), body -> message(call, body, live))),
        get(() -> listen(call, live)),
        delete(() -> end(call)));
  }

  /** One request to {@code /mcp} and who made it (its label: sessions are theirs). */
  private record Call(HttpRequest request, String caller) {}

  private Route message(Call call, String body, LiveAccess live) {
    HttpRequest request = call.request();
    McpSchema.JSONRPCMessage message;
    try {
      message = McpSchema.deserializeJsonRpcMessage(mapper, body);
    } catch (Exception e) {
      return complete(
          rpcError(
              StatusCodes.BAD_REQUEST,
              McpSchema.ErrorCodes.PARSE_ERROR,
              new IllegalArgumentException("not a JSON-RPC message: " + McpServers.reason(e))));
    }
    McpTransportContext context = McpCallers.context(request);
    if (message instanceof McpSchema.JSONRPCRequest r
        && r.method().equals(McpSchema.METHOD_INITIALIZE)) {
      String problem = ClientInfo.problem(mapper, r.params(), maxName);
      if (problem != null) {
        return complete(
            rpcError(
                StatusCodes.BAD_REQUEST,
                McpSchema.ErrorCodes.INVALID_PARAMS,
                new IllegalArgumentException(problem)));
      }
      return initialize(r, call.caller());
    }
    Optional<McpStreamableServerSession> found = session(call);
    if (found.isEmpty()) {
      return complete(noSession(request));
    }
    McpStreamableServerSession session = found.get();
    if (message instanceof McpSchema.JSONRPCRequest r) {
      watcher.observe(r, McpCallers.credential(context));
      SseStream sse = new SseStream();
      var stream = session.responseStream(sse);
      stream
          .handle(r)
          .contextWrite(c -> c.put(McpTransportContext.KEY, context))
          .subscribe(null, error -> sse.close());
      // a client that hangs up early frees the stream; the call itself runs to its end
      return completeOK(
          live.cut(
              sse.source.watchTermination(
                  (m, done) -> {
                    done.whenComplete((d, e) -> stream.releaseTransport());
                    return m;
                  })),
          EventStreamMarshalling.toEventStream());
    }
    Mono<Void> accepted =
        message instanceof McpSchema.JSONRPCResponse response
            ? session.accept(response)
            : session.accept((McpSchema.JSONRPCNotification) message);
    return completeWithFuture(
        accepted
            .contextWrite(c -> c.put(McpTransportContext.KEY, context))
            .then(Mono.just(HttpResponse.create().withStatus(StatusCodes.ACCEPTED)))
            .toFuture());
  }

  private Route initialize(McpSchema.JSONRPCRequest request, String caller) {
    McpSchema.InitializeRequest init =
        mapper.convertValue(request.params(), new TypeRef<McpSchema.InitializeRequest>() {});
    var started = factory.startSession(init);
    String id = started.session().getId();
    sessions.open(caller, id, started.session());
    return completeWithFuture(
        started
            .initResult()
            .map(
                result ->
                    json(StatusCodes.OK, McpSchema.JSONRPCResponse.result(request.id(), result))
                        .addHeader(RawHeader.create(SESSION_HEADER, id)))
            .toFuture());
  }

  /** GET: the session's own stream, for resource updates; kept open with heartbeats. */
  private Route listen(Call call, LiveAccess live) {
    Optional<McpStreamableServerSession> found = session(call);
    if (found.isEmpty()) {
      return complete(noSession(call.request()));
    }
    SseStream stream = new SseStream();
    var listening = found.get().listeningStream(stream);
    Source<ServerSentEvent, akka.NotUsed> events =
        stream
            .source
            .keepAlive(Duration.ofSeconds(15), ServerSentEvent::heartbeat)
            .watchTermination(
                (m, done) -> {
                  done.whenComplete((d, e) -> listening.close());
                  return m;
                });
    return completeOK(live.cut(events), EventStreamMarshalling.toEventStream());
  }

  private Route end(Call call) {
    Optional<McpStreamableServerSession> found = session(call);
    if (found.isEmpty()) {
      return complete(noSession(call.request()));
    }
    String id = found.get().getId();
    return completeWithFuture(
        found
            .get()
            .delete()
            .then(Mono.fromRunnable(() -> sessions.remove(call.caller(), id)))
            .then(Mono.just(HttpResponse.create().withStatus(StatusCodes.OK)))
            .toFuture());
  }

  /** The caller's own session named by the request; another principal's is not found. */
  private Optional<McpStreamableServerSession> session(Call call) {
    return call.request()
        .getHeader(SESSION_HEADER)
        .flatMap(h -> sessions.find(call.caller(), h.value()));
  }

  /**
   * 400 without a session id; 404 for one this node does not know (expired, or another principal's:
   * the same answer, so a session's id tells another nothing).
   */
  private HttpResponse noSession(HttpRequest request) {
    boolean sent = request.getHeader(SESSION_HEADER).isPresent();
    return rpcError(
        sent ? StatusCodes.NOT_FOUND : StatusCodes.BAD_REQUEST,
        McpSchema.ErrorCodes.INVALID_REQUEST,
        new IllegalArgumentException(
            sent
                ? "unknown or expired MCP session: initialize again"
                : SESSION_HEADER + " header is required after initialize"));
  }

  private HttpResponse rpcError(akka.http.javadsl.model.StatusCode status, int code, Exception e) {
    return HttpResponse.create()
        .withStatus(status)
        .withEntity(ContentTypes.APPLICATION_JSON, McpServers.errorWithoutId(code, e.getMessage()));
  }

  private HttpResponse json(akka.http.javadsl.model.StatusCode status, Object value) {
    try {
      return HttpResponse.create()
          .withStatus(status)
          .withEntity(ContentTypes.APPLICATION_JSON, mapper.writeValueAsString(value));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("an MCP message that cannot be written", e);
    }
  }

  /** One event stream the SDK writes messages to; the queue is thread-safe and bounded. */
  private final class SseStream implements McpStreamableServerTransport {
    private final BoundedSourceQueue<ServerSentEvent> queue;
    private final Source<ServerSentEvent, akka.NotUsed> source;
    private final AtomicBoolean closed = new AtomicBoolean();

    SseStream() {
      var pair = Source.<ServerSentEvent>queue(STREAM_BUFFER).preMaterialize(materializer);
      this.queue = pair.first();
      this.source = pair.second().mapMaterializedValue(m -> akka.NotUsed.getInstance());
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
      return sendMessage(message, null);
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message, String messageId) {
      return Mono.fromRunnable(
          () -> {
            if (closed.get()) {
              return;
            }
            try {
              String data = mapper.writeValueAsString(message);
              var offered =
                  queue.offer(
                      ServerSentEvent.create(
                          data,
                          Optional.of("message"),
                          Optional.ofNullable(messageId),
                          java.util.OptionalInt.empty()));
              if (offered != akka.stream.QueueOfferResult.enqueued()) {
                close(); // a client this far behind is cut off rather than sent a gap
              }
            } catch (java.io.IOException e) {
              throw new IllegalStateException("an MCP message that cannot be written", e);
            }
          });
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
      return mapper.convertValue(data, typeRef);
    }

    @Override
    public Mono<Void> closeGracefully() {
      return Mono.fromRunnable(this::close);
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        queue.complete();
      }
    }
  }
}
