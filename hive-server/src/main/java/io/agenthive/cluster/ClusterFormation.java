package io.agenthive.cluster;

import akka.actor.typed.ActorSystem;
import akka.management.cluster.bootstrap.ClusterBootstrap;
import akka.management.javadsl.AkkaManagement;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * How a node becomes part of a hive of several nodes (docs/cluster.md). With {@code
 * hive.cluster.discovery} empty it is a cluster of one that joins itself (HiveGuardian does that),
 * and none of this runs. Otherwise Akka Management serves the contact point and health routes and
 * Cluster Bootstrap finds the other nodes through Akka Discovery: {@code config} (the management
 * endpoints listed in {@code hive.cluster.contact-points}) or {@code kubernetes-api}.
 */
public final class ClusterFormation {
  private static final String BOOTSTRAP =
      "akka.management.cluster.bootstrap.contact-point-discovery.";

  private ClusterFormation() {}

  /** A setting that makes no cluster, said in one sentence (the launcher prints it). */
  public static final class Misconfigured extends IllegalArgumentException {
    Misconfigured(String sentence) {
      super(sentence);
    }
  }

  /** Whether {@code config} asks for a cluster of several nodes. */
  public static boolean clustered(Config config) {
    return !config.getString("hive.cluster.discovery").isBlank();
  }

  /**
   * {@code config} with Akka Discovery set up for the chosen method; unchanged for one node. Called
   * before the actor system starts, since discovery reads its services then.
   */
  public static Config configure(Config config) {
    String method = config.getString("hive.cluster.discovery").trim();
    if (method.isEmpty()) {
      return config;
    }
    Config discovered = discovery(method, config);
    if (!"postgres".equalsIgnoreCase(config.getString("hive.persistence.db"))) {
      throw new Misconfigured(
          "A cluster needs one shared PostgreSQL (HIVE_DB=postgres and"
              + " HIVE_DB_URL): the embedded H2 database belongs to one process.");
    }
    return discovered
        .withValue(
            BOOTSTRAP + "service-name",
            ConfigValueFactory.fromAnyRef(config.getString("hive.cluster.service-name")))
        .withValue(
            BOOTSTRAP + "required-contact-point-nr",
            ConfigValueFactory.fromAnyRef(config.getInt("hive.cluster.required-contact-points")));
  }

  private static Config discovery(String method, Config config) {
    switch (method) {
      case "config" -> {
        String service = config.getString("hive.cluster.service-name");
        List<Map<String, Object>> endpoints =
            contactPoints(config.getString("hive.cluster.contact-points"));
        return ConfigFactory.empty()
            .withValue("akka.discovery.method", ConfigValueFactory.fromAnyRef("config"))
            .withValue(
                "akka.discovery.config.services." + quoted(service) + ".endpoints",
                ConfigValueFactory.fromIterable(endpoints))
            .withFallback(config);
      }
      case "kubernetes-api" -> {
        // contact points by pod IP (the management endpoint binds to it): no dependency on the
        // cluster's DNS having records for pods
        return ConfigFactory.empty()
            .withValue("akka.discovery.method", ConfigValueFactory.fromAnyRef("kubernetes-api"))
            .withValue(
                "akka.discovery.kubernetes-api.use-raw-ip", ConfigValueFactory.fromAnyRef(true))
            .withFallback(config);
      }
      default ->
          throw new Misconfigured(
              "HIVE_DISCOVERY must be empty (one node), config or"
                  + " kubernetes-api, not \""
                  + method
                  + "\".");
    }
  }

  /** Starts the management endpoint and bootstrap when clustered; completes once it is bound. */
  public static CompletionStage<?> start(ActorSystem<?> system) {
    AkkaManagement management = AkkaManagement.get(system.classicSystem());
    return management.start().thenRun(() -> ClusterBootstrap.get(system.classicSystem()).start());
  }

  private static List<Map<String, Object>> contactPoints(String list) {
    List<Map<String, Object>> endpoints = new ArrayList<>();
    for (String point : list.split(",")) {
      String p = point.trim();
      if (p.isEmpty()) {
        continue;
      }
      int colon = p.lastIndexOf(':');
      int port = colon > 0 ? parsePort(p.substring(colon + 1)) : -1;
      if (port < 1 || port > 65535) {
        throw new Misconfigured(
            "HIVE_CONTACT_POINTS must list management endpoints as"
                + " host:port separated by commas; \""
                + p
                + "\" is not one.");
      }
      endpoints.add(Map.of("host", p.substring(0, colon), "port", port));
    }
    if (endpoints.isEmpty()) {
      throw new Misconfigured(
          "HIVE_DISCOVERY=config needs HIVE_CONTACT_POINTS: the management"
              + " endpoints of the nodes (host:port, comma-separated).");
    }
    return endpoints;
  }

  private static int parsePort(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String quoted(String key) {
    return "\"" + key.replace("\"", "") + "\"";
  }
}
