package io.agenthive.caller;

import akka.NotUsed;
import akka.stream.javadsl.Flow;
import akka.stream.javadsl.Source;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Whether a long-lived connection's caller is still who it was when it opened the connection. A
 * request is checked once, but an event stream or a socket lives on: a revoked key, a removed or
 * demoted user, or an expired token must end it too, as it ends every new request. {@link #cut}
 * asks again every {@link #EVERY} and completes the connection's outgoing side (closing it) the
 * first time the answer is no.
 */
public final class LiveAccess {
  /** Revocation reaches open connections within this (new requests: at once). */
  public static final Duration EVERY = Duration.ofSeconds(1);

  /** For routes without credentials to check (authentication off, or open routes). */
  public static final LiveAccess ALWAYS =
      new LiveAccess(() -> CompletableFuture.completedFuture(true));

  private final Supplier<CompletionStage<Boolean>> check;

  /** {@code check}: asked again every {@link #EVERY}; the guard makes these. */
  public LiveAccess(Supplier<CompletionStage<Boolean>> check) {
    this.check = check;
  }

  public CompletionStage<Boolean> stillAllowed() {
    return check.get();
  }

  /** {@code source} until the caller's access ends. */
  public <T> Source<T, NotUsed> cut(Source<T, NotUsed> source) {
    return source.via(this.<T>cut());
  }

  /** Passes elements on until the caller's access ends, then completes. */
  public <T> Flow<T, T, NotUsed> cut() {
    return cutSaying(null);
  }

  /**
   * The same, but says why as its last element when access ends ({@code farewell}, null for
   * nothing): a worker that is only closed on would just reconnect and be refused.
   */
  public <T> Flow<T, T, NotUsed> cutSaying(T farewell) {
    if (this == ALWAYS) {
      return Flow.create();
    }
    Source<Optional<T>, NotUsed> revoked =
        Source.tick(EVERY, EVERY, "check")
            // a check that fails (a provider's key set unreachable, say) decides nothing: the
            // next tick asks again
            .mapAsync(1, tick -> check.get().exceptionally(error -> true))
            .filter(allowed -> !allowed)
            .take(1)
            .map(no -> Optional.<T>empty())
            .mapMaterializedValue(c -> NotUsed.getInstance());
    return Flow.<T>create()
        .map(Optional::of)
        .merge(revoked, true) // ends with the connection's own source, or at the first no
        .takeWhile(Optional::isPresent, farewell != null) // the no itself only to say farewell
        .map(found -> found.orElse(farewell));
  }
}
