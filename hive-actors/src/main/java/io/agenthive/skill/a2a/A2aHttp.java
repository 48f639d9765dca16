package io.agenthive.skill.a2a;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agenthive.common.Failures;
import io.agenthive.common.HiveLimits;
import io.agenthive.skill.guard.CappedBody;
import io.agenthive.skill.guard.EgressPolicy;
import io.agenthive.skill.guard.EndpointGuards;
import io.agenthive.skill.guard.ProviderFailure;
import io.agenthive.skill.guard.Unreachable;
import io.agenthive.tracing.Traceparent;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP under the a2a skill, on the built-in skills' JDK client: GET the card, POST a JSON-RPC
 * call. Every request has its host checked by the egress policy (on the blocking dispatcher: DNS),
 * carries the configured headers and {@code A2A-Version}, ends within {@code timeout} (headers and
 * body) and reads at most {@code hive.limits.max-output} bytes. Failures are {@link
 * ProviderFailure}s: 408/429/5xx, timeouts and refused connections retryable, the rest final. No
 * circuit breaker here: {@link A2aSkill} wraps calls in its endpoint's guard.
 */
final class A2aHttp {
  private final EndpointGuards guards; // its JDK client is made at the first call
  private final EgressPolicy egress;
  private final Executor blocking;
  private final ObjectMapper json;
  private final long maxBytes;
  private final Map<String, String> headers;
  private final Duration timeout;
  private final AtomicLong ids = new AtomicLong();

  A2aHttp(ActorSystem<?> system, Map<String, String> headers, Duration timeout) {
    this.guards = EndpointGuards.get(system);
    this.egress = EgressPolicy.get(system);
    this.blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
    this.json = HiveLimits.outsideJson(system);
    this.maxBytes = HiveLimits.get(system).maxOutputBytes();
    this.headers = headers;
    this.timeout = timeout;
  }

  ObjectMapper json() {
    return json;
  }

  long maxBytes() {
    return maxBytes;
  }

  /** The card, as JSON; asked for as 1.0 (a server that also speaks 0.3 answers 0.3 otherwise). */
  CompletionStage<JsonNode> getCard(String cardUrl) {
    HttpRequest.Builder get = request(cardUrl, A2aDialect.V1_0, null).GET();
    return send(cardUrl, get, "Agent card")
        .thenApply(body -> readJson(body, cardUrl, "agent card"));
  }

  /** One JSON-RPC call; its {@code result}, or a failure naming the remote error. */
  CompletionStage<JsonNode> call(
      String rpcUrl, A2aDialect dialect, String method, JsonNode params, String traceparent) {
    HttpRequest.Builder post =
        request(rpcUrl, dialect, traceparent)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(envelope(method, params).toString()));
    return send(rpcUrl, post, "A2A agent")
        .thenApply(body -> RpcAnswers.result(readJson(body, rpcUrl, method + " answer"), method));
  }

  ObjectNode envelope(String method, JsonNode params) {
    ObjectNode rpc = json.createObjectNode().put("jsonrpc", "2.0").put("id", ids.incrementAndGet());
    rpc.put("method", method).set("params", params);
    return rpc;
  }

  HttpRequest.Builder request(String url, A2aDialect dialect, String traceparent) {
    HttpRequest.Builder http =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(timeout)
            .header("Accept", "application/json")
            .header("A2A-Version", dialect.version);
    headers.forEach(http::header);
    if (traceparent != null) {
      http.header(Traceparent.HEADER, traceparent);
    }
    return http;
  }

  /** Checks the host, then sends; the body within the timeout and the size cap, else a failure. */
  <T> CompletionStage<HttpResponse<T>> sendRaw(
      String url,
      HttpRequest request,
      HttpResponse.BodyHandler<T> body,
      Duration within,
      Runnable onFailure) {
    String where = Unreachable.hostAndPort(url);
    return CompletableFuture.runAsync(() -> egress.check(URI.create(url)), blocking)
        .thenCompose(allowed -> guards.http().sendAsync(request, body))
        .orTimeout(within.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete(
            (response, error) -> {
              if (error != null) {
                onFailure.run();
              }
            })
        .exceptionally(
            error -> {
              if (Failures.cause(error) instanceof TimeoutException) {
                throw ProviderFailure.transientError(
                    "A2A agent at "
                        + where
                        + " did not answer within "
                        + within.toMillis()
                        + " ms");
              }
              throw Unreachable.describe("A2A agent", url, error);
            });
  }

  private CompletionStage<byte[]> send(String url, HttpRequest.Builder request, String what) {
    CappedBody answer =
        new CappedBody(maxBytes, "the answer of " + what + " at " + Unreachable.hostAndPort(url));
    return sendRaw(url, request.build(), answer, timeout, answer::cancel)
        .thenApply(
            response -> {
              String body = new String(response.body(), StandardCharsets.UTF_8);
              if (response.statusCode() / 100 != 2) {
                throw ProviderFailure.ofStatus(
                    response.statusCode(),
                    url
                        + " answered "
                        + response.statusCode()
                        + ": "
                        + ProviderFailure.abbreviate(body),
                    ProviderFailure.retryAfter(response.headers()));
              }
              return response.body();
            });
  }

  JsonNode readJson(byte[] body, String url, String what) {
    try {
      JsonNode node = json.readTree(body);
      if (node == null || node.isMissingNode()) {
        throw new IllegalArgumentException("empty");
      }
      return node;
    } catch (Exception e) {
      throw new ProviderFailure(
          "the " + what + " from " + Unreachable.hostAndPort(url) + " is not JSON", 0, false, null);
    }
  }
}
