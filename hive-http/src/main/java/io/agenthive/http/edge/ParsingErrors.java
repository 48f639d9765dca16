package io.agenthive.http.edge;

import akka.event.LoggingAdapter;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.scaladsl.model.ErrorInfo;
import akka.http.scaladsl.model.StatusCode;
import akka.http.scaladsl.settings.ServerSettings;
import io.agenthive.http.json.ErrorHandling;
import java.util.List;
import java.util.UUID;

/**
 * Requests akka-http cannot parse (an unknown method, a header or URI past its limit, a broken
 * request line) get the one error body too, instead of akka-http's plain text. Named in {@code
 * akka.http.server.parsing.error-handler}; akka-http makes one per connection.
 *
 * <p>An unknown method (501) or HTTP version (505) is answered 400: what was wrong is the request,
 * and a 5xx from this hub means the hub failed.
 */
public final class ParsingErrors extends akka.http.ParsingErrorHandler {

  @Override
  public HttpResponse handle(
      StatusCode status, ErrorInfo info, LoggingAdapter log, ServerSettings settings) {
    // a bad client is not the hub's problem: no warning per malformed request
    log.debug("Unparseable request answered {}: {}", status.intValue(), info.summary());
    String requestId = UUID.randomUUID().toString();
    int code = status.intValue();
    return ErrorHandling.response(
            code >= 500 ? StatusCodes.BAD_REQUEST : status,
            codeFor(code),
            info.summary() + hintFor(code),
            List.of(),
            requestId,
            null)
        .addHeader(RawHeader.create("X-Request-Id", requestId));
  }

  private static String codeFor(int status) {
    return switch (status) {
      case 501 -> "unknown_method";
      case 505 -> "unsupported_http_version";
      case 414 -> "uri_too_long";
      case 431 -> "headers_too_large";
      case 413 -> "body_too_large";
      default -> "bad_request";
    };
  }

  private static String hintFor(int status) {
    return switch (status) {
      case 501 -> ": this hub answers GET, HEAD, POST, PUT, PATCH, DELETE and OPTIONS";
      case 505 -> ": this hub speaks HTTP/1.1 (and 1.0)";
      case 414 -> " (hive.http.max-uri-length)";
      case 431 -> " (hive.http.headers.max-value-length, hive.http.headers.max-count)";
      case 413 -> " (hive.http.max-body-size)";
      default -> "";
    };
  }
}
