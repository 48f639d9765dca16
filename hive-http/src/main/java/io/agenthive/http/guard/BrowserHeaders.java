package io.agenthive.http.guard;

import static akka.http.javadsl.server.Directives.*;

import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpMethods;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.Route;
import io.agenthive.http.json.ErrorHandling;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Headers for browsers on every response: no MIME sniffing, no framing, a content security policy
 * fit for the dashboard (its own scripts, styles and sockets only), no referrer, HSTS when served
 * over HTTPS; and CORS for the configured origins only (none by default), with preflights answered
 * before authentication (a browser sends them without credentials).
 */
public final class BrowserHeaders {
  private static final String CSP =
      "default-src 'self'; script-src 'self'; "
          + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws: wss:; "
          + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
  private final List<String> origins;
  private final List<HttpHeader> always;

  public BrowserHeaders(List<String> origins, boolean https) {
    this.origins = List.copyOf(origins);
    List<HttpHeader> headers =
        new ArrayList<>(
            List.of(
                RawHeader.create("X-Content-Type-Options", "nosniff"),
                RawHeader.create("X-Frame-Options", "DENY"),
                RawHeader.create("Content-Security-Policy", CSP),
                RawHeader.create("Referrer-Policy", "no-referrer")));
    if (https) {
      headers.add(RawHeader.create("Strict-Transport-Security", "max-age=31536000"));
    }
    this.always = List.copyOf(headers);
  }

  public Route route(String requestId, Supplier<Route> inner) {
    return extractRequest(
        request -> {
          Optional<String> origin =
              request.getHeader("Origin").map(HttpHeader::value).filter(origins::contains);
          List<HttpHeader> headers = new ArrayList<>(always);
          origin.ifPresent(
              o -> {
                headers.add(RawHeader.create("Access-Control-Allow-Origin", o));
                headers.add(RawHeader.create("Vary", "Origin"));
                headers.add(
                    RawHeader.create(
                        "Access-Control-Expose-Headers", "X-Request-Id, Retry-After, Location"));
              });
          if (isPreflight(request)) {
            return respondWithHeaders(
                headers,
                () ->
                    complete(
                        origin.isPresent()
                            ? HttpResponse.create()
                                .withStatus(StatusCodes.NO_CONTENT)
                                .addHeaders(
                                    List.of(
                                        RawHeader.create(
                                            "Access-Control-Allow-Methods",
                                            "GET, POST, PATCH, DELETE"),
                                        RawHeader.create(
                                            "Access-Control-Allow-Headers",
                                            "Authorization, Content-Type, Idempotency-Key, X-Request-Id, Last-Event-ID"),
                                        RawHeader.create("Access-Control-Max-Age", "600")))
                            : ErrorHandling.response(
                                StatusCodes.FORBIDDEN,
                                "origin_not_allowed",
                                "this origin may not call the API (hive.http.cors-origins)",
                                List.of(),
                                requestId,
                                null)));
          }
          return respondWithHeaders(headers, inner);
        });
  }

  private static boolean isPreflight(HttpRequest request) {
    return request.method().equals(HttpMethods.OPTIONS)
        && request.getHeader("Access-Control-Request-Method").isPresent();
  }
}
