package io.agenthive.http.edge;

import io.agenthive.metrics.HiveMetrics;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import java.util.function.IntSupplier;

/**
 * What the listener refuses, on {@code /metrics}: a slowloris or a proxy that needs a higher cap
 * shows here before anyone reads a log. Per node; the reasons are a fixed set.
 */
final class ConnectionMetrics {
  private final Counter refused;

  private ConnectionMetrics(Counter refused) {
    this.refused = refused;
  }

  static ConnectionMetrics register(HiveMetrics metrics, IntSupplier open) {
    return metrics.shared(
        "http-connections",
        () -> {
          GaugeWithCallback.builder()
              .name("hive_http_connections")
              .help("Connections open on this node's API (refused ones not counted)")
              .callback(cb -> cb.call(open.getAsInt()))
              .register(metrics.registry());
          return new ConnectionMetrics(
              Counter.builder()
                  .name("hive_http_connections_refused_total")
                  .help(
                      "Connections answered and closed before a request was read: past"
                          + " max-per-address (per_address) or headers past header-timeout"
                          + " (header_timeout)")
                  .labelNames("reason")
                  .register(metrics.registry()));
        });
  }

  void perAddress() {
    refused.labelValues("per_address").inc();
  }

  void headerTimeout() {
    refused.labelValues("header_timeout").inc();
  }
}
