package io.agenthive.skill.http;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agenthive.common.Failures;
import io.agenthive.common.HiveLimits;
import io.agenthive.skill.Skill;
import io.agenthive.skill.SkillContext;
import io.agenthive.skill.SkillRequest;
import io.agenthive.skill.SkillResult;
import io.agenthive.skill.guard.CappedBody;
import io.agenthive.skill.guard.EgressPolicy;
import io.agenthive.skill.guard.EndpointGuard;
import io.agenthive.skill.guard.EndpointGuards;
import io.agenthive.skill.guard.GuardSettings;
import io.agenthive.skill.guard.ProviderFailure;
import io.agenthive.skill.guard.Unreachable;
import io.agenthive.tracing.HiveTracing;
import io.agenthive.tracing.Traceparent;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@code http} skill: POSTs the task as JSON to the agent's configured URL (a tool or a
 * webhook) and makes the JSON answer the task's output. Non-blocking (the JDK client's async API),
 * behind the endpoint's {@link EndpointGuard}; 429 / 5xx / timeouts are retried by the task's
 * policy, other 4xx fail the task at once.
 *
 * <p>Sent: {@code {task_id, attempt, title, description, type, input}}. A JSON answer becomes the
 * output (a number {@code quality_score} in it, 0..1, becomes the result's quality); a non-JSON
 * answer becomes {@code {"text": ...}}.
 */
public final class HttpSkill implements Skill {
  public static final String NAME = "http";
  private final HttpConfig config;
  private final HiveLimits limits;
  private final ObjectMapper json;
  private final EgressPolicy egress;
  private final Executor blocking;
  private final EndpointGuards guards; // its JDK client is made at the first call
  private final EndpointGuard guard;
  private final HiveTracing tracing;
  private final String spanName;

  HttpSkill(SkillContext context, HttpConfig config) {
    this.config = config;
    this.limits = HiveLimits.get(context.system());
    this.json = HiveLimits.outsideJson(context.system());
    this.egress = EgressPolicy.get(context.system());
    this.blocking = context.system().dispatchers().lookup(DispatcherSelector.blocking());
    this.tracing = HiveTracing.get(context.system());
    // the endpoint, not the URL: a path or query may carry what a trace collector must not see
    URI url = URI.create(config.url());
    this.spanName = "POST " + url.getScheme() + "://" + url.getHost() + portOf(url);
    EndpointGuards guards = EndpointGuards.get(context.system());
    this.guards = guards;
    this.guard = guards.forUrl(config.url(), config.guard(context.system()));
  }

  @Override
  public Optional<Duration> failingFastFor() {
    return guard.failingFastFor();
  }

  @Override
  public AutoCloseable whenFailingFast(Runnable listener) {
    return guard.whenOpen(listener);
  }

  @Override
  public CompletionStage<SkillResult> execute(SkillRequest request) {
    HiveTracing.OutgoingCall call = tracing.outgoing(request.taskId(), spanName);
    return guard
        .call(() -> send(request, call.traceparent()))
        .thenApply(this::toResult)
        .exceptionally(SkillResult::ofFailure)
        .whenComplete((r, e) -> call.end(r != null && r.success(), r == null ? null : r.error()));
  }

  private static String portOf(URI url) {
    return url.getPort() < 0 ? "" : ":" + url.getPort();
  }

  /**
   * Sends the task and reads the answer's body up to {@code hive.limits.max-output}, headers and
   * body within the agent's timeout (the JDK's own timeout ends at the headers, so a body that
   * stalls after them is cancelled here).
   */
  private CompletionStage<HttpResponse<byte[]>> send(SkillRequest request, String traceparent) {
    ObjectNode body =
        json.createObjectNode()
            .put("task_id", request.taskId())
            .put("attempt", request.attempt())
            .put("title", request.title())
            .put("description", request.description())
            .put("type", request.type());
    body.set("input", request.input());
    HttpRequest.Builder http =
        HttpRequest.newBuilder(URI.create(config.url()))
            .timeout(config.timeout())
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    config.headers().forEach(http::header);
    if (traceparent != null) {
      http.header(Traceparent.HEADER, traceparent);
    }
    String where = Unreachable.hostAndPort(config.url());
    CappedBody answer = new CappedBody(limits.maxOutputBytes(), "the answer of " + where);
    URI target = URI.create(config.url());
    // the host is resolved and checked where blocking is allowed; the JDK caches what it resolved
    return CompletableFuture.runAsync(() -> egress.check(target), blocking)
        .thenCompose(allowed -> guards.http().sendAsync(http.build(), answer))
        .orTimeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete(
            (response, error) -> {
              if (error != null) {
                answer.cancel();
              }
            })
        .thenApply(
            response -> {
              int status = response.statusCode();
              if (status / 100 != 2) {
                throw ProviderFailure.ofStatus(
                    status,
                    config.url()
                        + " answered "
                        + status
                        + ": "
                        + ProviderFailure.abbreviate(
                            new String(response.body(), StandardCharsets.UTF_8)),
                    ProviderFailure.retryAfter(response.headers()));
              }
              return response;
            })
        .exceptionally(
            error -> {
              if (Failures.cause(error) instanceof TimeoutException) {
                throw ProviderFailure.transientError(
                    "Endpoint at "
                        + where
                        + " did not finish its answer within "
                        + config.timeout().toMillis()
                        + " ms");
              }
              throw Unreachable.describe("Endpoint", config.url(), error);
            });
  }

  private SkillResult toResult(HttpResponse<byte[]> response) {
    JsonNode output;
    try {
      output = json.readTree(response.body());
    } catch (Exception notJson) {
      output =
          json.createObjectNode().put("text", new String(response.body(), StandardCharsets.UTF_8));
    }
    if (output == null || output.isMissingNode()) {
      output = json.createObjectNode();
    }
    JsonNode q = output.path("quality_score");
    Double quality = q.isNumber() && q.asDouble() >= 0 && q.asDouble() <= 1 ? q.asDouble() : null;
    return SkillResult.succeeded(output, quality);
  }

  /**
   * The agent's config: {@code {url, timeout_ms?, headers?, headers_from_env?,
   * requests_per_second?}}; {@code headers} holds the values of {@code headers_from_env} too.
   */
  record HttpConfig(String url, Duration timeout, Map<String, String> headers, Double rate) {
    GuardSettings guard(ActorSystem<?> system) {
      var defaults =
          GuardSettings.from(system.settings().config()).withCallTimeout(timeout.plusSeconds(1));
      return rate == null ? defaults : defaults.withRequestsPerSecond(rate);
    }
  }
}
