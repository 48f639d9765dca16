package io.agenthive.skill.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agenthive.skill.guard.ProviderFailure;
import io.agenthive.skill.guard.Unreachable;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.function.UnaryOperator;

/**
 * A streamed send ({@code SendStreamingMessage} / {@code message/stream}): Server-Sent Events, each
 * {@code data:} a JSON-RPC answer holding a task, a message, a status or an artifact update. Read
 * as they arrive, at most {@code hive.limits.max-output} bytes in all and in any one line (counted
 * as the bytes arrive, {@link CappedLines}), until the task settles (then the stream is closed),
 * the stream ends or the attempt's deadline passes. {@link #opened} completes at the first line, so
 * that the endpoint's breaker judges the connection, not the length of the remote work; {@link
 * #ended} with the task as last seen.
 */
final class A2aStream implements Flow.Subscriber<String> {
  private final A2aHttp http;
  private final A2aCard card;
  private final Instant deadline;
  private final UnaryOperator<RemoteTask> learned;
  // true, never null: the circuit breaker cannot take a null result
  private final CompletableFuture<Boolean> opened = new CompletableFuture<>();
  private final CompletableFuture<RemoteTask> ended = new CompletableFuture<>();
  private final StringBuilder data = new StringBuilder();
  private final StringBuilder plain = new StringBuilder(); // a JSON answer instead of a stream
  private volatile Flow.Subscription subscription;
  private volatile RemoteTask task =
      new RemoteTask("", RemoteTask.State.UNKNOWN, "", java.util.Map.of());
  private volatile boolean answeredOk;
  private boolean sawEvent;

  A2aStream(A2aHttp http, A2aCard card, Instant deadline, UnaryOperator<RemoteTask> learned) {
    this.http = http;
    this.card = card;
    this.deadline = deadline;
    this.learned = learned;
  }

  /** Sends the message; completes when the answer's first line arrived. */
  CompletionStage<Boolean> open(ObjectNode params) {
    HttpRequest request =
        http.request(card.rpcUrl(), card.dialect(), null)
            .header("Content-Type", "application/json")
            .header("Accept", "text/event-stream")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    http.envelope(card.dialect().stream, params).toString()))
            .build();
    Duration within = Duration.between(Instant.now(), deadline);
    within = within.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : within;
    http.sendRaw(
            card.rpcUrl(),
            request,
            info -> {
              answeredOk = info.statusCode() / 100 == 2;
              return new CappedLines(
                  this,
                  http.maxBytes(),
                  "the event stream of " + Unreachable.hostAndPort(card.rpcUrl()));
            },
            within,
            this::close)
        .whenComplete(
            (response, error) -> {
              if (error != null) {
                fail(error);
              } else if (response.statusCode() / 100 != 2) {
                fail(
                    ProviderFailure.ofStatus(
                        response.statusCode(),
                        card.rpcUrl() + " answered " + response.statusCode(),
                        ProviderFailure.retryAfter(response.headers())));
              } else {
                onStreamEnd();
              }
            });
    return opened;
  }

  CompletionStage<RemoteTask> ended() {
    return ended;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (ended.isDone()) {
      s.cancel(); // stopped or failed before the answer's headers came
      return;
    }
    s.request(Long.MAX_VALUE); // bounded by CappedLines: past the cap the stream is closed
  }

  @Override
  public void onNext(String line) {
    if (answeredOk) {
      opened.complete(true); // an error status is judged when the answer has ended
    }
    if (ended.isDone()) {
      return;
    }
    if (line.startsWith("data:")) {
      data.append(line.substring(line.startsWith("data: ") ? 6 : 5)).append('\n');
    } else if (line.isEmpty() && data.length() > 0) {
      String event = data.toString();
      data.setLength(0);
      onEvent(event);
    } else if (!line.startsWith(":") && !line.startsWith("event:") && !line.startsWith("id:")) {
      plain.append(line).append('\n');
    }
  }

  @Override
  public void onError(Throwable error) {
    fail(error);
  }

  @Override
  public void onComplete() {
    if (data.length() > 0) {
      String event = data.toString();
      data.setLength(0);
      onEvent(event);
    }
  }

  private void onEvent(String event) {
    sawEvent = true;
    try {
      JsonNode answer =
          http.readJson(event.getBytes(StandardCharsets.UTF_8), card.rpcUrl(), "stream event");
      A2aDialect.Payload p =
          card.dialect().payload(RpcAnswers.result(answer, card.dialect().stream));
      JsonNode body = p.body();
      RemoteTask t = task;
      if ("task".equals(p.kind())) {
        t = learned.apply(RemoteTask.of(body));
      } else if ("message".equals(p.kind())) {
        t = RemoteTask.ofMessage(body);
      } else if ("status".equals(p.kind())) {
        t = withId(t, body).withStatus(body.path("status"));
      } else if ("artifact".equals(p.kind())) {
        t =
            withId(t, body)
                .withArtifact(body.path("artifact"), body.path("append").asBoolean(false));
      }
      task = t;
      if (t.state().settled()) {
        ended.complete(t);
        close();
      }
    } catch (RuntimeException e) {
      fail(e);
    }
  }

  private RemoteTask withId(RemoteTask t, JsonNode event) {
    if (!t.id().isEmpty() || !event.path("taskId").isTextual()) {
      return t;
    }
    return learned.apply(
        new RemoteTask(event.path("taskId").asText(), t.state(), t.statusText(), t.artifacts()));
  }

  /** The stream ended: a plain JSON answer is read as one (an error, usually). */
  private void onStreamEnd() {
    if (!sawEvent && plain.length() > 0) {
      onEvent(plain.toString());
    }
    opened.complete(true);
    ended.complete(task);
  }

  /** Ends the stream where it is: the task as last seen, the connection closed. */
  void stop() {
    opened.complete(true);
    ended.complete(task);
    close();
  }

  private void fail(Throwable error) {
    opened.completeExceptionally(error);
    ended.completeExceptionally(error);
    close();
  }

  private void close() {
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
  }
}
