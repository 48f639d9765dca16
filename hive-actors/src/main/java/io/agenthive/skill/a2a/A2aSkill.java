package io.agenthive.skill.a2a;

import akka.actor.typed.ActorSystem;
import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.skill.Skill;
import io.agenthive.skill.SkillContext;
import io.agenthive.skill.SkillRequest;
import io.agenthive.skill.SkillResult;
import io.agenthive.skill.guard.EgressPolicy;
import io.agenthive.skill.guard.EndpointGuard;
import io.agenthive.skill.guard.EndpointGuards;
import io.agenthive.skill.guard.ProviderFailure;
import io.agenthive.skill.guard.Unreachable;
import io.agenthive.tracing.HiveTracing;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The {@code a2a} skill: each attempt becomes a task of a remote Agent2Agent agent. The card (read
 * at first use, read again after an error) says where to send JSON-RPC and in which dialect (1.0,
 * or 0.3); {@link RemoteAttempt} sends the task's input as a message, follows the remote task to a
 * settled state and cancels it when the hive gives the attempt up. Every call but CancelTask goes
 * through the endpoint's {@link EndpointGuard} (circuit breaker, rate limit), and every call
 * through the egress policy, like the {@code http} skill's: a remote agent that is down opens the
 * circuit, and the agent stops taking work while it is open.
 */
public final class A2aSkill implements Skill {
  public static final String NAME = "a2a";
  private final A2aConfig config;
  private final A2aHttp http;
  private final EndpointGuard guard;
  private final HiveTracing tracing;
  private final ActorSystem<?> system;
  private final String spanName;
  private volatile A2aCard card;

  A2aSkill(SkillContext context) {
    this.system = context.system();
    this.config = A2aConfig.parse(context.config(), EgressPolicy.get(system));
    this.http = new A2aHttp(system, config.headers(), config.callTimeout());
    this.guard = EndpointGuards.get(system).forUrl(config.url(), config.guard(system));
    this.tracing = HiveTracing.get(system);
    this.spanName = "A2A " + Unreachable.hostAndPort(config.url());
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
    return execute(request, new CompletableFuture<>());
  }

  @Override
  public CompletionStage<SkillResult> execute(
      SkillRequest request, CompletionStage<Void> abandoned) {
    HiveTracing.OutgoingCall span = tracing.outgoing(request.taskId(), spanName);
    return card()
        .thenCompose(
            c -> {
              Calls calls =
                  new Calls() {
                    @Override
                    public CompletionStage<JsonNode> call(String method, JsonNode params) {
                      return guard.call(() -> callOutsideGuard(method, params));
                    }

                    @Override
                    public CompletionStage<JsonNode> callOutsideGuard(
                        String method, JsonNode params) {
                      return http.call(c.rpcUrl(), c.dialect(), method, params, span.traceparent());
                    }
                  };
              return new RemoteAttempt(c, config, http, calls, guard, system, request, abandoned)
                  .run();
            })
        .thenApply(task -> Outcomes.of(task, http.json()))
        .exceptionally(
            error -> {
              card = null; // read again next time: the agent may have moved or changed versions
              return SkillResult.ofFailure(error);
            })
        .whenComplete((r, e) -> span.end(r != null && r.success(), r == null ? null : r.error()));
  }

  /** JSON-RPC calls to the card's interface. */
  interface Calls {
    /** Through the endpoint's guard (rate limit, circuit breaker), the egress check, the cap. */
    CompletionStage<JsonNode> call(String method, JsonNode params);

    /**
     * Past the guard, still through the egress check and the size cap: for a CancelTask, which a
     * full rate limit or an open circuit must not refuse (the remote task would be left running).
     */
    CompletionStage<JsonNode> callOutsideGuard(String method, JsonNode params);
  }

  private CompletionStage<A2aCard> card() {
    A2aCard known = card;
    if (known != null) {
      return CompletableFuture.completedFuture(known);
    }
    String cardUrl = config.cardUrl();
    return guard
        .call(() -> http.getCard(cardUrl))
        .thenApply(
            json -> {
              try {
                A2aCard read = A2aCard.parse(json, cardUrl);
                String crossHost = config.refusalOfInterface(read.rpcUrl());
                if (crossHost != null) {
                  throw new A2aCard.Unusable(crossHost);
                }
                card = read;
                return read;
              } catch (A2aCard.Unusable e) {
                throw new ProviderFailure(
                    "the agent card at " + cardUrl + " is unusable: " + e.getMessage(),
                    0,
                    false,
                    null);
              }
            });
  }
}
