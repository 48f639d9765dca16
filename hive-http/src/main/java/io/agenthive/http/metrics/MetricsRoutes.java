package io.agenthive.http.metrics;

import static akka.http.javadsl.server.Directives.*;

import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import io.agenthive.hive.Hive;
import io.agenthive.metrics.HiveMetrics;
import io.agenthive.security.AccessPolicy;
import io.agenthive.skill.guard.EndpointGuards;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * {@code GET /metrics} in Prometheus's text format: the hive's series ({@link HiveMetrics}), the
 * scrape-time gauges ({@link ScrapeGauges}), HTTP request durations by route template, method and
 * status, and the JVM's and the process's own. Needs a viewer's credentials like any read; a
 * Prometheus job sends a key with {@code authorization: {credentials_file: ...}}.
 */
public final class MetricsRoutes {
  private final Hive hive;
  private final HiveMetrics metrics;
  private final PrometheusRegistry registry;
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final Histogram requests;
  private final ScrapeGauges gauges;

  /**
   * Parsed at the first scrape, not when the routes are built: the parse wakes akka-http's header
   * parser, about 0.3 s of a cold start on two cores that no request needs before it is served.
   */
  private static final class TextFormat {
    static final ContentType CONTENT_TYPE =
        ContentTypes.parse(PrometheusTextFormatWriter.CONTENT_TYPE);
  }

  public MetricsRoutes(Hive hive, IntSupplier dashboardClients, IntSupplier eventStreams) {
    this.hive = hive;
    this.metrics = HiveMetrics.get(hive.system());
    this.registry = metrics.registry();
    EndpointGuards guards = EndpointGuards.get(hive.system());
    Supplier<java.util.Map<String, String>> circuits = guards::circuits;
    this.gauges =
        metrics.shared(
            "scrape-gauges",
            () -> new ScrapeGauges(registry, dashboardClients, eventStreams, circuits));
    this.requests = metrics.shared("http-requests", () -> requestHistogram(registry));
    metrics.shared(
        "budget-gauges", () -> BudgetGauges.register(registry, () -> hive.budgets().all()));
    metrics.shared("cluster-gauges", () -> ClusterGauges.register(registry, hive.system()));
  }

  /**
   * The JVM's and the process's metrics, registered at the first scrape rather than with the
   * routes: registering them wakes the JVM's MBean server and about 120 classes, 0.1 s of a start's
   * main thread. They are read when scraped, so the first scrape reports them all; only the
   * allocation counters count from that scrape on.
   */
  private void registerJvmMetrics() {
    metrics.shared(
        "jvm",
        () -> {
          JvmMetrics.builder().register(registry);
          return Boolean.TRUE;
        });
  }

  private static Histogram requestHistogram(PrometheusRegistry registry) {
    return Histogram.builder()
        .name("http_server_request_duration_seconds")
        .help("HTTP requests until the response starts, by route template, method and status")
        .labelNames("route", "method", "status")
        .classicOnly()
        .classicUpperBounds(HiveMetrics.fastBuckets())
        .register(registry);
  }

  /** Times every request {@code inner} answers; WebSocket upgrades until the 101. */
  public Route timed(HttpRequest request, Supplier<Route> inner) {
    long start = System.nanoTime();
    String method = request.method().value();
    String route = AccessPolicy.templateOf(method, request.getUri().path());
    return mapResponse(
        response -> {
          requests
              .labelValues(
                  route,
                  method.toUpperCase(Locale.ROOT),
                  String.valueOf(response.status().intValue()))
              .observe((System.nanoTime() - start) / 1e9);
          return response;
        },
        inner);
  }

  public Route route() {
    return path(
        "metrics",
        () ->
            get(
                () -> {
                  registerJvmMetrics();
                  return completeWithFuture(
                      LiveEntities.count(hive.system())
                          .thenAccept(gauges::updateLive)
                          .thenCompose(live -> hive.counts())
                          .handle(
                              (counts, late) -> {
                                // a matcher that does not answer in time leaves the last
                                // counts; the rest of the scrape still matters then
                                if (counts != null) {
                                  gauges.update(counts);
                                }
                                return HttpResponse.create()
                                    .withStatus(StatusCodes.OK)
                                    .withEntity(
                                        HttpEntities.create(TextFormat.CONTENT_TYPE, scrape()));
                              }));
                }));
  }

  private byte[] scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
    try {
      writer.write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
