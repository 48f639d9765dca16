package io.agenthive.common;

import akka.actor.typed.ActorSystem;
import akka.pattern.Patterns;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * An ask in a few shorter tries within one timeout, for a recipient that answers a repeat as it
 * answered the first. A message sent to a node that has just died (through a singleton's proxy, or
 * a shard region, that has not yet learned it) is lost; asked in tries, it costs one try, not the
 * whole timeout. Only a timeout is tried again: any other failure is the answer.
 */
public final class AskTries {
  private AskTries() {}

  /** {@code ask} given each try's timeout: {@code timeout} split into {@code tries} equal parts. */
  public static <T> CompletionStage<T> within(
      Duration timeout,
      int tries,
      Function<Duration, CompletionStage<T>> ask,
      ActorSystem<?> system) {
    Duration each = timeout.dividedBy(tries);
    return Patterns.retry(
        () -> ask.apply(each),
        tries - 1,
        retried -> Optional.of(Duration.ZERO),
        error -> error instanceof TimeoutException,
        system.classicSystem().scheduler(),
        system.executionContext());
  }
}
