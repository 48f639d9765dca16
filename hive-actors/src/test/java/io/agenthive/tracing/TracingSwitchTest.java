package io.agenthive.tracing;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Traces are off unless the standard variables ask for them, and OTEL_SDK_DISABLED wins. */
class TracingSwitchTest {
  @Test
  void offByDefaultOnWhenAnExporterOrEndpointIsSet() {
    assertFalse(HiveTracing.wanted(Map.of()));
    assertFalse(HiveTracing.wanted(Map.of("OTEL_TRACES_EXPORTER", "none")));
    assertFalse(
        HiveTracing.wanted(Map.of("OTEL_SERVICE_NAME", "hive")), "a name alone is not a wish");
    assertTrue(HiveTracing.wanted(Map.of("OTEL_TRACES_EXPORTER", "otlp")));
    assertTrue(HiveTracing.wanted(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")));
    assertTrue(
        HiveTracing.wanted(
            Map.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://c:4318/v1/traces")));
    assertFalse(
        HiveTracing.wanted(
            Map.of("OTEL_SDK_DISABLED", "true", "OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318")));
  }
}
