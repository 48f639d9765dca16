package io.agenthive.skill.guard;

import akka.actor.typed.ActorSystem;
import akka.pattern.CircuitBreaker;
import akka.pattern.CircuitBreakerOpenException;
import akka.pattern.Patterns;
import io.agenthive.common.Failures;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything between the hub and one external endpoint: Akka's {@link CircuitBreaker} (after {@code
 * maxFailures} retryable failures in a row calls fail fast until {@code resetTimeout}, then one
 * trial call decides), a request rate limit (calls are spaced {@code 1/rate} apart), and the
 * provider's own Retry-After (no call starts before it has passed). A call that would wait longer
 * than {@code maxQueueWait} for its slot is refused instead of queued. Refusals and open-circuit
 * failures are retryable {@link ProviderFailure}s: the task's policy takes over. Shared by every
 * agent calling the same endpoint on this node ({@link EndpointGuards}).
 */
public final class EndpointGuard {
  private static final Logger log = LoggerFactory.getLogger(EndpointGuard.class);
  private final String endpoint;
  private final ActorSystem<?> system;
  private final CircuitBreaker breaker;
  private final long intervalNanos;
  private final long maxWaitNanos;
  private long nextFreeNanos; // guarded by this
  private volatile long pausedUntilNanos;
  private final Duration resetTimeout;
  private final List<Runnable> whenOpen = new CopyOnWriteArrayList<>();

  EndpointGuard(String endpoint, ActorSystem<?> system, GuardSettings settings) {
    this.endpoint = endpoint;
    this.system = system;
    this.resetTimeout = settings.resetTimeout();
    this.breaker =
        CircuitBreaker.create(
                system.classicSystem().scheduler(),
                settings.maxFailures(),
                settings.callTimeout(),
                settings.resetTimeout())
            .addOnOpenListener(
                () -> {
                  log.warn(
                      "Circuit for [{}] opened: calls fail fast for {}",
                      endpoint,
                      settings.resetTimeout());
                  whenOpen.forEach(Runnable::run);
                })
            .addOnHalfOpenListener(
                () -> log.info("Circuit for [{}] half-open: one trial call", endpoint))
            .addOnCloseListener(() -> log.info("Circuit for [{}] closed", endpoint));
    this.intervalNanos = (long) (1e9 / settings.requestsPerSecond());
    this.maxWaitNanos = settings.maxQueueWait().toNanos();
    this.nextFreeNanos = System.nanoTime();
  }

  public boolean isOpen() {
    return breaker.isOpen();
  }

  /**
   * Runs {@code listener} each time the circuit opens, until the returned handle is closed (an
   * agent listens while it lives, so it degrades at once, not at its next call).
   */
  public AutoCloseable whenOpen(Runnable listener) {
    whenOpen.add(listener);
    return () -> whenOpen.remove(listener);
  }

  /** How long calls fail fast from now: the reset timeout while open, else empty. */
  public Optional<Duration> failingFastFor() {
    return breaker.isOpen() ? Optional.of(resetTimeout) : Optional.empty();
  }

  String circuit() {
    return breaker.isOpen() ? "open" : breaker.isHalfOpen() ? "half_open" : "closed";
  }

  /** Runs {@code call} through the rate limit and the breaker. */
  public <T> CompletionStage<T> call(Supplier<CompletionStage<T>> call) {
    long now = System.nanoTime();
    Optional<Duration> wait = reserve(now);
    if (wait.isEmpty()) {
      return CompletableFuture.failedFuture(
          ProviderFailure.transientError(
              "rate limit for "
                  + endpoint
                  + ": the next free slot (after any Retry-After) is further away than "
                  + Duration.ofNanos(maxWaitNanos).toMillis()
                  + " ms"));
    }
    Supplier<CompletionStage<T>> guarded =
        () ->
            breaker
                .callWithCircuitBreakerCS(call::get, EndpointGuard::countsAsFailure)
                .exceptionally(
                    e -> {
                      throw explain(e);
                    });
    CompletionStage<T> result =
        wait.get().isZero()
            ? guarded.get()
            : Patterns.after(
                wait.get(),
                system.classicSystem().scheduler(),
                system.executionContext(),
                guarded::get);
    return result.whenComplete((ok, error) -> pauseOnRetryAfter(error));
  }

  /**
   * The wait for the next free slot, reserving it; empty when it would be too long. No slot starts
   * before the provider's Retry-After has passed.
   */
  private synchronized Optional<Duration> reserve(long now) {
    long start = Math.max(Math.max(now, nextFreeNanos), pausedUntilNanos);
    if (start - now > maxWaitNanos) {
      return Optional.empty();
    }
    nextFreeNanos = start + intervalNanos;
    return Optional.of(Duration.ofNanos(start - now));
  }

  private void pauseOnRetryAfter(Throwable error) {
    if (Failures.cause(error) instanceof ProviderFailure f && f.retryAfter() != null) {
      pausedUntilNanos = Math.max(pausedUntilNanos, System.nanoTime() + f.retryAfter().toNanos());
    }
  }

  /**
   * Only failures worth retrying say something about the endpoint's health; a 400 does not, nor an
   * answer too large to take.
   */
  private static <T> boolean countsAsFailure(Optional<T> result, Optional<Throwable> error) {
    return error
        .map(
            e ->
                !(Failures.cause(e) instanceof ProviderFailure f)
                    || f.retryable() && !(f instanceof OutputTooLarge))
        .orElse(false);
  }

  private RuntimeException explain(Throwable e) {
    Throwable cause = Failures.cause(e);
    if (cause instanceof ProviderFailure f) {
      return f;
    }
    if (cause instanceof CircuitBreakerOpenException) {
      return ProviderFailure.transientError(
          "circuit open for "
              + endpoint
              + " after repeated failures; calls fail fast until it half-opens");
    }
    if (cause instanceof TimeoutException) {
      return ProviderFailure.transientError(endpoint + " did not answer within the call timeout");
    }
    return ProviderFailure.transientError(
        endpoint + ": " + cause.getClass().getSimpleName() + ": " + cause.getMessage());
  }
}
