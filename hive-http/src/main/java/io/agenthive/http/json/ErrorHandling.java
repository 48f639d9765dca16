package io.agenthive.http.json;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.ExceptionHandler;
import akka.http.javadsl.server.RejectionHandler;
import akka.http.javadsl.server.Route;
import akka.http.scaladsl.model.EntityStreamSizeException;
import io.agenthive.blob.BlobStore;
import io.agenthive.common.Failures;
import io.agenthive.common.FieldError;
import io.agenthive.common.HiveException;
import io.agenthive.common.HiveMdc;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One error body everywhere: {@code {"error": {"code", "message", "field_errors"}, "request_id"}}.
 * Rejections (no route, wrong method, bad media type, body too large) and exceptions both end here;
 * a 500 means a bug in the hub, never bad input.
 */
public final class ErrorHandling {
  private static final Logger log = LoggerFactory.getLogger(ErrorHandling.class);

  private ErrorHandling() {}

  record ErrorJson(String code, String message, List<FieldError> fieldErrors) {}

  record ErrorBody(ErrorJson error, String requestId) {}

  public static HttpResponse response(
      StatusCode status,
      String code,
      String message,
      List<FieldError> fields,
      String requestId,
      Integer retryAfter) {
    HttpResponse response =
        HttpResponse.create()
            .withStatus(status)
            .withEntity(
                ContentTypes.APPLICATION_JSON,
                Json.bytes(new ErrorBody(new ErrorJson(code, message, fields), requestId)));
    return retryAfter == null
        ? response
        : response.addHeader(RawHeader.create("Retry-After", retryAfter.toString()));
  }

  /**
   * The error body alone, for answers written below the routes (a connection refused before any
   * request could be read).
   */
  public static byte[] body(String code, String message, String requestId) {
    return Json.bytes(new ErrorBody(new ErrorJson(code, message, List.of()), requestId));
  }

  public static HttpResponse response(ApiError e, String requestId) {
    return response(
        e.status(), e.code(), e.getMessage(), e.fieldErrors(), requestId, e.retryAfterSeconds());
  }

  public static ExceptionHandler exceptions(String requestId) {
    return ExceptionHandler.newBuilder().matchAny(t -> complete(unwrap(t), requestId)).build();
  }

  private static Route complete(Throwable t, String requestId) {
    return akka.http.javadsl.server.Directives.complete(toResponse(t, requestId));
  }

  static HttpResponse toResponse(Throwable t, String requestId) {
    if (t instanceof ApiError e) {
      return response(e, requestId);
    }
    if (t instanceof HiveException e) {
      return response(ApiError.from(e), requestId);
    }
    if (t instanceof BlobStore.StoreFull full) {
      return response(ApiError.storeFull(full), requestId);
    }
    if (t instanceof BlobStore.BlobTooLarge tooLarge) {
      return response(ApiError.tooLarge(tooLarge), requestId);
    }
    if (t instanceof EntityStreamSizeException) {
      return response(
          StatusCodes.PAYLOAD_TOO_LARGE,
          "body_too_large",
          t.getMessage(),
          List.of(),
          requestId,
          null);
    }
    if (t instanceof TimeoutException || t instanceof akka.pattern.AskTimeoutException) {
      return response(
          StatusCodes.SERVICE_UNAVAILABLE,
          "timeout",
          "the hive did not answer in time; retry",
          List.of(),
          requestId,
          2);
    }
    try (var mdc = MDC.putCloseable(HiveMdc.REQUEST_ID, requestId)) {
      log.error("Request [{}] failed", requestId, t);
    }
    return response(
        StatusCodes.INTERNAL_SERVER_ERROR,
        "internal_error",
        "the hub failed to handle this request; it is logged under the request id",
        List.of(),
        requestId,
        null);
  }

  public static Throwable unwrap(Throwable t) {
    return Failures.cause(t);
  }

  public static RejectionHandler rejections(String requestId) {
    return RejectionHandler.defaultHandler()
        .mapRejectionResponse(
            response -> {
              if (response.entity().getContentType().equals(ContentTypes.APPLICATION_JSON)) {
                return response;
              }
              StatusCode status = response.status();
              String message =
                  response.entity() instanceof akka.http.javadsl.model.HttpEntity.Strict s
                      ? s.getData().utf8String()
                      : status.reason();
              return response(status, codeFor(status), message, List.of(), requestId, null)
                  .withHeaders(response.getHeaders());
            });
  }

  private static String codeFor(StatusCode status) {
    return switch (status.intValue()) {
      case 400 -> "bad_request";
      case 404 -> "no_route";
      case 405 -> "method_not_allowed";
      case 413 -> "body_too_large";
      case 415 -> "unsupported_media_type";
      default -> "http_" + status.intValue();
    };
  }
}
