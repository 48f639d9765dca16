package io.agenthive.cluster;

import akka.actor.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The management endpoint's readiness check ({@code /ready}) for the hub's own API: a node is an Up
 * member well before its API is bound (the matcher's rebuild may take minutes), and a load balancer
 * that trusted membership alone would send requests to a port nobody listens on. Registered in
 * reference.conf under {@code akka.management.health-checks.readiness-checks}.
 */
public final class ApiReadyCheck implements Supplier<CompletionStage<Boolean>> {
  private final ApiReadiness readiness;

  public ApiReadyCheck(ActorSystem system) {
    this.readiness = ApiReadiness.get(Adapter.toTyped(system));
  }

  @Override
  public CompletionStage<Boolean> get() {
    return CompletableFuture.completedFuture(readiness.serving());
  }
}
