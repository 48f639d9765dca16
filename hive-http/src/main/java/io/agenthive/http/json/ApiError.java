package io.agenthive.http.json;

import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.model.StatusCodes;
import io.agenthive.blob.BlobStore;
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

  /** What was asked for existed, and is gone for good (removed after its retention). */
  public static ApiError gone(String message) {
    return new ApiError(StatusCodes.GONE, "gone", message, List.of(), null);
  }

  /** An upload stopped by the store's total limit: what it holds, and what to free. */
  public static ApiError storeFull(BlobStore.StoreFull full) {
    return new ApiError(
        StatusCodes.INSUFFICIENT_STORAGE,
        "insufficient_storage",
        "the hub's storage for uploads and results holds "
            + bytes(full.held)
            + " of its "
            + bytes(full.limit)
            + " limit (hive.datasets.max-total-bytes), so this upload was stopped and what it"
            + " sent was removed; free space by letting the results of ended tasks expire sooner"
            + " (they are removed hive.datasets.retention after their task ended;"
            + " HIVE_DATASET_RETENTION), or raise the limit (HIVE_DATASET_MAX_TOTAL_BYTES)",
        List.of(),
        null);
  }

  /** A body (an upload) longer than the limit its writer gave. */
  public static ApiError tooLarge(BlobStore.BlobTooLarge e) {
    return new ApiError(
        StatusCodes.PAYLOAD_TOO_LARGE,
        "body_too_large",
        "the body is larger than its limit of "
            + bytes(e.limit)
            + " (uploads: hive.http.uploads.max-size, HIVE_UPLOAD_MAX_SIZE); nothing of it was kept",
        List.of(),
        null);
  }

  /** 1536 → "1.5 KiB": sizes people read in an error message. */
  static String bytes(long n) {
    String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return u == 0 ? n + " bytes" : String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
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
      case FORBIDDEN ->
          new ApiError(StatusCodes.FORBIDDEN, "forbidden", e.getMessage(), List.of(), null);
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
