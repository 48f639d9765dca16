package io.agenthive.http.json;

import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.model.StatusCodes;
import io.agenthive.common.FieldError;
import io.agenthive.common.HiveException;
import java.util.List;

/**
 * A client-facing error: HTTP status, a stable machine code, a message and the fields at fault.
 * Thrown only inside the HTTP layer and turned into the one error body by {@link ErrorHandling}.
 */
public final class ApiError extends RuntimeException {
  private final StatusCode status;
  private final String code;
  private final List<FieldError> fieldErrors;
  private final Integer retryAfterSeconds;

  public ApiError(
      StatusCode status,
      String code,
      String message,
      List<FieldError> fieldErrors,
      Integer retryAfterSeconds) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.fieldErrors = List.copyOf(fieldErrors);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public static ApiError badRequest(String code, String message) {
    return new ApiError(StatusCodes.BAD_REQUEST, code, message, List.of(), null);
  }

  public static ApiError invalid(List<FieldError> errors) {
    return from(HiveException.invalid(errors));
  }

  public static ApiError notFound(String message) {
    return new ApiError(StatusCodes.NOT_FOUND, "not_found", message, List.of(), null);
  }

  /** Maps the facade's refusals to statuses; queue full and unavailable say when to retry. */
  public static ApiError from(HiveException e) {
    return switch (e.kind()) {
      case INVALID ->
          new ApiError(
              StatusCodes.BAD_REQUEST, "validation_failed", e.getMessage(), e.fieldErrors(), null);
      case NOT_FOUND ->
          new ApiError(StatusCodes.NOT_FOUND, "not_found", e.getMessage(), List.of(), null);
      case CONFLICT ->
          new ApiError(StatusCodes.CONFLICT, "conflict", e.getMessage(), List.of(), null);
      case QUEUE_FULL ->
          new ApiError(StatusCodes.TOO_MANY_REQUESTS, "queue_full", e.getMessage(), List.of(), 5);
      case UNAVAILABLE ->
          new ApiError(
              StatusCodes.SERVICE_UNAVAILABLE, "unavailable", e.getMessage(), List.of(), 2);
    };
  }

  public StatusCode status() {
    return status;
  }

  public String code() {
    return code;
  }

  public List<FieldError> fieldErrors() {
    return fieldErrors;
  }

  public Integer retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
