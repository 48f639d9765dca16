package io.agenthive.http.metrics;

import akka.actor.typed.ActorSystem;
import akka.cluster.ClusterEvent.CurrentClusterState;
import akka.cluster.Member;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cluster as this node sees it, read at scrape time: members by status and how many of them it
 * cannot reach. A node that is gone stops being scraped at all (on Kubernetes its target
 * disappears, so {@code up == 0} never fires); the nodes that remain still report it here, as
 * unreachable and then as fewer members up. One node alone is a cluster of one.
 */
final class ClusterGauges {
  private static final String[] STATUSES = {
    "joining",
    "weakly_up",
    "up",
    "preparing_for_shutdown",
    "ready_for_shutdown",
    "leaving",
    "exiting",
    "down"
  };

  private ClusterGauges() {}

  static Boolean register(PrometheusRegistry registry, ActorSystem<?> system) {
    Cluster cluster = Cluster.get(system);
    GaugeWithCallback.builder()
        .name("hive_cluster_members")
        .help("Members of the cluster by status, as this node sees them")
        .labelNames("status")
        .callback(
            cb -> {
              Map<String, Integer> counts = byStatus(cluster.state());
              for (String s : STATUSES) {
                cb.call(counts.getOrDefault(s, 0), s);
              }
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("hive_cluster_unreachable_members")
        .help("Members this node's failure detector cannot reach")
        .callback(cb -> cb.call(cluster.state().getUnreachable().size()))
        .register(registry);
    return Boolean.TRUE;
  }

  static Map<String, Integer> byStatus(CurrentClusterState state) {
    Map<String, Integer> out = new TreeMap<>();
    for (Member m : state.getMembers()) {
      out.merge(label(m.status()), 1, Integer::sum);
    }
    return out;
  }

  /** Akka's status as a label: "WeaklyUp" → "weakly_up". */
  static String label(MemberStatus status) {
    return status.toString().replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }
}
