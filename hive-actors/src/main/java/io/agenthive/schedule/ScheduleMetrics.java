package io.agenthive.schedule;

import akka.actor.typed.ActorSystem;
import io.agenthive.metrics.HiveMetrics;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;

/**
 * The schedules' series on {@code /metrics}, counted by the node that runs the keeper (sum over
 * nodes for the hive). No schedule name is a label: names are the users', series must stay few.
 */
public final class ScheduleMetrics {
  /** From a slot's instant to its task accepted: milliseconds on time, minutes after downtime. */
  private static final double[] LAG_SECONDS =
      new double[] {0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600};

  private final Counter fired;
  private final Counter missed;
  private final Histogram lag;

  private ScheduleMetrics(PrometheusRegistry registry) {
    fired =
        Counter.builder()
            .name("hive_schedule_slots_fired_total")
            .help("Schedule slots whose task was accepted, by kind: scheduled or manual (trigger)")
            .labelNames("kind")
            .register(registry);
    missed =
        Counter.builder()
            .name("hive_schedule_slots_missed_total")
            .help(
                "Schedule slots given up, by reason: missed (downtime beyond the catch-up rule)"
                    + " or overlap (the previous slot's task had not ended)")
            .labelNames("reason")
            .register(registry);
    lag =
        Histogram.builder()
            .name("hive_schedule_lag_seconds")
            .help("From a scheduled slot's instant to its task accepted")
            .classicOnly()
            .classicUpperBounds(LAG_SECONDS)
            .register(registry);
  }

  public static ScheduleMetrics get(ActorSystem<?> system) {
    HiveMetrics hive = HiveMetrics.get(system);
    return hive.shared("schedules", () -> new ScheduleMetrics(hive.registry()));
  }

  void fired(boolean manual, Duration lagged) {
    fired.labelValues(manual ? "manual" : "scheduled").inc();
    if (!manual) {
      lag.observe(Math.max(0, lagged.toMillis()) / 1000.0);
    }
  }

  void missed(String reason, long count) {
    missed.labelValues(reason).inc(count);
  }
}
