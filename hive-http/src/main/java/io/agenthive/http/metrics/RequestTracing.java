package io.agenthive.http.metrics;

import static akka.http.javadsl.server.Directives.*;

import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.Route;
import io.agenthive.security.AccessPolicy;
import io.agenthive.tracing.HiveTracing;
import io.agenthive.tracing.Traceparent;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * A server span per HTTP request when tracing is on, named by method and route template, under the
 * caller's W3C {@code traceparent} if it sent one. The routes inside see the request's {@code
 * traceparent} replaced by this span's, so a task submitted here starts its span under it. Off, it
 * hands the request straight on.
 */
public final class RequestTracing {
  private final HiveTracing tracing;

  public RequestTracing(HiveTracing tracing) {
    this.tracing = tracing;
  }

  public Route traced(HttpRequest request, Supplier<Route> inner) {
    if (!tracing.enabled()) {
      return inner.get();
    }
    String method = request.method().value().toUpperCase(Locale.ROOT);
    String route = AccessPolicy.templateOf(method, request.getUri().path());
    String incoming = request.getHeader(Traceparent.HEADER).map(HttpHeader::value).orElse(null);
    Span span =
        tracing
            .tracer()
            .spanBuilder(method + " " + route)
            .setParent(Traceparent.parent(tracing.telemetry(), incoming))
            .setSpanKind(SpanKind.SERVER)
            .setAttribute("http.request.method", method)
            .setAttribute("http.route", route)
            .startSpan();
    String ours = Traceparent.of(tracing.telemetry(), span);
    return mapRequest(
        r ->
            r.removeHeader(Traceparent.HEADER)
                .addHeader(RawHeader.create(Traceparent.HEADER, ours)),
        () ->
            mapResponse(
                response -> {
                  int status = response.status().intValue();
                  span.setAttribute("http.response.status_code", status);
                  if (status >= 500) {
                    span.setStatus(StatusCode.ERROR);
                  }
                  span.end();
                  return response;
                },
                inner));
  }
}
