package io.agenthive.common;

import akka.pattern.StatusReply;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/**
 * Why the hive's API refused a request, as a failed stage of the {@code Hive} facade. Local only
 * (never sent between actors): actors answer with typed replies and the facade maps them here, so
 * boundaries (HTTP, CLI) map one type to their own error shapes.
 */
public final class HiveException extends RuntimeException {
  public enum Kind {
    INVALID,
    NOT_FOUND,
    CONFLICT,
    FORBIDDEN,
    QUEUE_FULL,
    UNAVAILABLE
  }

  private final Kind kind;
  private final List<FieldError> fieldErrors;

  public HiveException(Kind kind, String message) {
    this(kind, message, List.of());
  }

  private HiveException(Kind kind, String message, List<FieldError> fieldErrors) {
    super(message, null, false, false);
    this.kind = kind;
    this.fieldErrors = List.copyOf(fieldErrors);
  }

  /**
   * An actor's answer as boundaries use it: the value, or a failed stage with the kind its {@link
   * Refusal} type says (any other error is a conflict).
   */
  public static <T> CompletionStage<T> unwrap(CompletionStage<StatusReply<T>> reply) {
    return reply.thenApply(
        r -> {
          if (r.isSuccess()) {
            return r.getValue();
          }
          Throwable error = r.getError();
          Kind kind =
              error instanceof Refusal.NotFound
                  ? Kind.NOT_FOUND
                  : error instanceof Refusal.QueueFull
                      ? Kind.QUEUE_FULL
                      : error instanceof Refusal.Unavailable
                          ? Kind.UNAVAILABLE
                          : error instanceof Refusal.Forbidden ? Kind.FORBIDDEN : Kind.CONFLICT;
          throw new HiveException(kind, error.getMessage());
        });
  }

  public static HiveException invalid(List<FieldError> errors) {
    String message =
        errors.stream()
            .map(e -> e.field() + " " + e.message())
            .collect(Collectors.joining("; ", "invalid request: ", ""));
    return new HiveException(Kind.INVALID, message, errors);
  }

  public Kind kind() {
    return kind;
  }

  public List<FieldError> fieldErrors() {
    return fieldErrors;
  }
}
