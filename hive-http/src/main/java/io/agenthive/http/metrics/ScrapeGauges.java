package io.agenthive.http.metrics;

import io.agenthive.agent.AgentState;
import io.agenthive.matcher.HiveCounts;
import io.agenthive.task.Priority;
import io.agenthive.task.TaskStatus;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Gauges read when Prometheus scrapes: the hive's counts (which the matcher publishes to every
 * node, so on a cluster these are hive-wide on each node: aggregate them with {@code max}, not
 * {@code sum}), the connected clients of this node, and each endpoint's circuit. Every state of an
 * enum gets its series, 0 included, so a dashboard sees a state empty rather than missing.
 */
final class ScrapeGauges {
  private static final String[] CIRCUIT_STATES = {"closed", "half_open", "open"};
  private volatile HiveCounts latest;
  private volatile Map<String, Integer> live = Map.of();

  ScrapeGauges(
      PrometheusRegistry registry,
      IntSupplier dashboardClients,
      IntSupplier eventStreams,
      Supplier<Map<String, String>> circuits) {
    GaugeWithCallback.builder()
        .name("hive_queue_depth")
        .help("Tasks waiting for an agent, by priority (hive-wide)")
        .labelNames("priority")
        .callback(
            cb -> {
              HiveCounts c = latest;
              for (Priority p : Priority.values()) {
                cb.call(c == null ? 0 : c.queueDepth().getOrDefault(p, 0), p.label());
              }
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("hive_agents")
        .help("Agents by state (hive-wide)")
        .labelNames("state")
        .callback(
            cb -> {
              HiveCounts c = latest;
              for (AgentState s : AgentState.values()) {
                cb.call(c == null ? 0 : c.agents().getOrDefault(s, 0L), s.label());
              }
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("hive_tasks")
        .help("Tasks ever submitted, by their status now (hive-wide)")
        .labelNames("status")
        .callback(
            cb -> {
              HiveCounts c = latest;
              for (TaskStatus s : TaskStatus.values()) {
                cb.call(c == null ? 0 : c.tasks().getOrDefault(s, 0L), s.label());
              }
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("hive_tasks_waiting")
        .help(
            "Waiting tasks by why they wait (hive-wide): no_agent_qualifies can never run until an"
                + " agent with their capabilities is added")
        .labelNames("reason")
        .callback(
            cb -> {
              HiveCounts c = latest;
              if (c != null) {
                c.waiting().forEach((reason, n) -> cb.call(n, reason));
              }
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("hive_tasks_in_flight")
        .help("Tasks handed to an agent and not yet back (hive-wide)")
        .callback(cb -> cb.call(latest == null ? 0 : latest.inFlight()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("hive_dataset_jobs_running")
        .help(
            "Dataset tasks whose jobs are at work (hive-wide); their chunks are the running tasks,"
                + " so hive_tasks{status=\"running\"} does not count them")
        .callback(cb -> cb.call(latest == null ? 0 : latest.datasetJobs()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("hive_live_entities")
        .help("Entities in this node's memory now, by kind (Task, Agent, Workflow, WorkerLink)")
        .labelNames("kind")
        .callback(cb -> live.forEach((kind, n) -> cb.call(n, kind)))
        .register(registry);
    GaugeWithCallback.builder()
        .name("hive_websocket_clients")
        .help("Clients connected to this node: dashboards on /ws, event streams on /api/events")
        .labelNames("endpoint")
        .callback(
            cb -> {
              cb.call(dashboardClients.getAsInt(), "ws");
              cb.call(eventStreams.getAsInt(), "events");
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("hive_circuit_state")
        .help("1 for the state each external endpoint's circuit breaker is in on this node")
        .labelNames("endpoint", "state")
        .callback(
            cb ->
                circuits
                    .get()
                    .forEach(
                        (endpoint, state) -> {
                          for (String s : CIRCUIT_STATES) {
                            cb.call(s.equals(state) ? 1 : 0, endpoint, s);
                          }
                        }))
        .register(registry);
  }

  void update(HiveCounts counts) {
    latest = counts;
  }

  void updateLive(Map<String, Integer> entities) {
    live = entities;
  }
}
