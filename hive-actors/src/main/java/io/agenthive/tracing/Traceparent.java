package io.agenthive.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.HashMap;
import java.util.Map;

/** W3C {@code traceparent} in and out, through the configured propagator. */
public final class Traceparent {
  public static final String HEADER = "traceparent";

  private static final TextMapGetter<Map<String, String>> GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
          return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
          return carrier == null ? null : carrier.get(key);
        }
      };

  private Traceparent() {}

  /** The context a {@code traceparent} value names; the root context for null or a bad value. */
  public static Context parent(OpenTelemetry telemetry, String traceparent) {
    if (traceparent == null || traceparent.isBlank()) {
      return Context.root();
    }
    return telemetry
        .getPropagators()
        .getTextMapPropagator()
        .extract(Context.root(), Map.of(HEADER, traceparent), GETTER);
  }

  /** {@code span}'s context as a {@code traceparent} value (null if the span is not valid). */
  public static String of(OpenTelemetry telemetry, Span span) {
    if (!span.getSpanContext().isValid()) {
      return null;
    }
    Map<String, String> carrier = new HashMap<>();
    telemetry
        .getPropagators()
        .getTextMapPropagator()
        .inject(Context.root().with(span), carrier, (c, k, v) -> c.put(k, v));
    return carrier.get(HEADER);
  }
}
