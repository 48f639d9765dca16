package io.agenthive.skill;

import static akka.http.javadsl.server.Directives.*;

import akka.NotUsed;
import akka.actor.typed.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.unmarshalling.Unmarshaller;
import akka.pattern.Patterns;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A local stand-in for an external provider (an OpenAI-compatible server, Ollama, a webhook): an
 * akka-http server on a free port that answers from a script, then with a default, and records
 * every request. Asked to stream ({@code "stream": true}), it sends a successful answer as the
 * provider's stream ({@link StreamedReplies}). Tests never reach the internet.
 */
public final class ProviderStandIn implements AutoCloseable {
  public record Reply(int status, String body, Map<String, String> headers, Duration delay) {
    public static Reply ok(String json) {
      return new Reply(200, json, Map.of(), Duration.ZERO);
    }

    public static Reply status(int status, String json) {
      return new Reply(status, json, Map.of(), Duration.ZERO);
    }

    Reply withHeader(String name, String value) {
      return new Reply(status, body, Map.of(name, value), delay);
    }

    Reply after(Duration wait) {
      return new Reply(status, body, headers, wait);
    }
  }

  record Seen(String path, String authorization, String body, long atNanos, String traceparent) {}

  private final ActorSystem<?> system;
  private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private volatile Reply fallback;
  private volatile Duration streamGap = Duration.ZERO;
  // when not negative, a streamed answer ends (cleanly) after this many chunks: cut off
  private volatile int cutAfter = -1;
  // streamed answers whose reader went away before the last chunk
  private final java.util.concurrent.atomic.AtomicInteger endedEarly =
      new java.util.concurrent.atomic.AtomicInteger();
  // when set, answers every request not scripted, from its body
  private volatile java.util.function.Function<String, Reply> responder;
  private final ServerBinding binding;

  public ProviderStandIn(ActorSystem<?> system, Reply fallback) throws Exception {
    this.system = system;
    this.fallback = fallback;
    this.binding =
        Http.get(system)
            .newServerAt("127.0.0.1", 0)
            .bind(
                extractUnmatchedPath(
                    path ->
                        extractRequest(
                            request ->
                                entity(
                                    Unmarshaller.entityToString(),
                                    body -> {
                                      seen.add(
                                          new Seen(
                                              path,
                                              request
                                                  .getHeader("Authorization")
                                                  .map(HttpHeader::value)
                                                  .orElse(null),
                                              body,
                                              System.nanoTime(),
                                              request
                                                  .getHeader("traceparent")
                                                  .map(HttpHeader::value)
                                                  .orElse(null)));
                                      Reply next = script.poll();
                                      var answer = responder;
                                      if (next == null && answer != null) {
                                        next = answer.apply(body);
                                      }
                                      return completeWithFuture(
                                          respond(
                                              next != null ? next : this.fallback,
                                              path,
                                              StreamedReplies.asksForStream(body)));
                                    }))))
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
  }

  public String url(String path) {
    return "http://127.0.0.1:" + binding.localAddress().getPort() + path;
  }

  void then(Reply... replies) {
    script.addAll(List.of(replies));
  }

  /** Answers each request from its body (for one that echoes the prompt, say). */
  public void answerWith(java.util.function.Function<String, Reply> answer) {
    responder = answer;
  }

  void answerFromNowOn(Reply reply) {
    fallback = reply;
  }

  List<Seen> seen() {
    return List.copyOf(seen);
  }

  /** The bodies of the requests so far that asked for {@code model}, oldest first. */
  public List<String> bodiesFor(String model) {
    return seen.stream()
        .filter(s -> model.equals(StreamedReplies.model(s.body())))
        .map(Seen::body)
        .toList();
  }

  /** How many requests so far asked for {@code model} (by the body's {@code "model"}). */
  public long requestsFor(String model) {
    return seen.stream().filter(s -> model.equals(StreamedReplies.model(s.body()))).count();
  }

  /** The {@code traceparent} header of each request so far (null where there was none). */
  public List<String> traceparents() {
    return seen.stream().map(Seen::traceparent).toList();
  }

  /**
   * Chunks of a streamed answer go out this far apart, so a test can watch the partials arrive
   * (zero: all at once).
   */
  public void streamEvery(Duration gap) {
    streamGap = gap;
  }

  private CompletionStage<HttpResponse> respond(Reply r, String path, boolean streamed) {
    List<String> chunks =
        streamed && r.status() == 200 ? StreamedReplies.chunks(path, r.body()) : null;
    HttpResponse response =
        HttpResponse.create()
            .withStatus(r.status())
            .withEntity(
                chunks == null
                    ? HttpEntities.create(ContentTypes.APPLICATION_JSON, r.body())
                    : streamedEntity(path, chunks))
            .addHeaders(
                r.headers().entrySet().stream()
                    .map(h -> (HttpHeader) RawHeader.create(h.getKey(), h.getValue()))
                    .toList());
    if (r.delay().isZero()) {
      return CompletableFuture.completedFuture(response);
    }
    return Patterns.after(
        r.delay(),
        system.classicSystem().scheduler(),
        system.executionContext(),
        () -> CompletableFuture.completedFuture(response));
  }

  /** Streamed answers end after {@code chunks} chunks, without their end marker. */
  public void cutStreamsAfter(int chunks) {
    cutAfter = chunks;
  }

  /** How many streamed answers were stopped by their reader before their last chunk. */
  public int streamsEndedEarly() {
    return endedEarly.get();
  }

  private akka.http.javadsl.model.ResponseEntity streamedEntity(String path, List<String> all) {
    Duration gap = streamGap;
    int cut = cutAfter;
    List<String> chunks = cut < 0 ? all : all.subList(0, Math.min(cut, all.size()));
    java.util.concurrent.atomic.AtomicInteger sent =
        new java.util.concurrent.atomic.AtomicInteger();
    Source<ByteString, NotUsed> body =
        Source.from(chunks)
            .map(
                c -> {
                  sent.incrementAndGet();
                  return ByteString.fromString(c);
                });
    if (!gap.isZero()) {
      body = body.throttle(1, gap);
    }
    body =
        body.watchTermination(
            (notUsed, ended) -> {
              ended.whenComplete(
                  (done, error) -> {
                    if (sent.get() < chunks.size()) {
                      endedEarly.incrementAndGet();
                    }
                  });
              return notUsed;
            });
    return HttpEntities.createChunked(
        path.endsWith("/api/chat")
            ? ContentTypes.parse("application/x-ndjson")
            : ContentTypes.parse("text/event-stream"),
        body);
  }

  @Override
  public void close() throws Exception {
    binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
