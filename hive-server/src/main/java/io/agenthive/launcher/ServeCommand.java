package io.agenthive.launcher;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import com.typesafe.config.Config;
import io.agenthive.cluster.ApiReadiness;
import io.agenthive.cluster.ClusterFormation;
import io.agenthive.hive.Hive;
import io.agenthive.http.ApiRoutes;
import io.agenthive.http.HttpServer;
import io.agenthive.http.edge.HubBinding;
import io.agenthive.http.guard.HttpSettings;
import io.agenthive.node.HiveNode;
import io.agenthive.persistence.HiveEventFeed;
import io.agenthive.persistence.readside.ReadSide;
import io.agenthive.security.FirstStart;
import io.agenthive.security.Security;
import io.agenthive.security.SecuritySettings;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one hub node and its HTTP API until the process is stopped; coordinated shutdown unbinds the
 * API and closes the node cleanly.
 */
final class ServeCommand {
  private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);
  private static final Duration READY_WITHIN = Duration.ofMinutes(30);

  private ServeCommand() {}

  /** The API on this node, with the read side it needs (read model projection, event feed). */
  static akka.http.javadsl.server.Route routes(Hive hive, HttpSettings http, Security security)
      throws Exception {
    ReadSide readSide =
        ReadSide.start(hive.system()).toCompletableFuture().get(60, TimeUnit.SECONDS);
    return new ApiRoutes(
            hive, http, readSide, new HiveEventFeed(hive.system()), Version.current(), security)
        .route();
  }

  static int run(Config config) throws Exception {
    HttpSettings http = HttpSettings.from(config);
    SecuritySettings securitySettings = SecuritySettings.from(config);
    if (!securitySettings.enabled() && !isLoopback(http.host())) {
      System.err.println(
          "Refusing to serve on "
              + http.host()
              + " with authentication off:"
              + " anyone who can reach it could run and read everything. Set HIVE_AUTH=on (the"
              + " default), or bind to 127.0.0.1 (HIVE_HTTP_HOST).");
      return 2;
    }
    try {
      config = ClusterFormation.configure(config);
    } catch (ClusterFormation.Misconfigured e) {
      System.err.println(e.getMessage());
      return 2;
    }
    Hive hive = HiveNode.start("hive", config);
    try {
      if (ClusterFormation.clustered(config)) {
        // the matcher is a cluster singleton: it answers only once this node is in a cluster
        ClusterFormation.start(hive.system()).toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      serve(hive, config, http, securitySettings);
    } catch (Exception e) {
      // the node's threads would keep a JVM alive whose API never came up
      hive.system().terminate();
      throw e;
    }
    hive.system().getWhenTerminated().toCompletableFuture().get();
    return stopped(hive);
  }

  /** A node the cluster downed exits non-zero, to be restarted. */
  private static int stopped(Hive hive) {
    return downed(hive) ? 1 : 0;
  }

  private static boolean downed(Hive hive) {
    return CoordinatedShutdown.get(hive.system())
        .getShutdownReason()
        .filter(r -> r instanceof CoordinatedShutdown.ClusterDowningReason$)
        .isPresent();
  }

  /**
   * Says how the node stops, as the last step before the actor system ends: after that a JVM
   * stopped by a signal may halt before the launcher's thread could log anything.
   */
  private static void sayWhenStopping(Hive hive) {
    String node = hive.nodeName();
    CoordinatedShutdown.get(hive.system())
        .addTask(
            CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
            "say-stopped",
            () -> {
              if (downed(hive)) {
                log.warn(
                    "Node [{}] was downed by the cluster (it was unreachable, or on the"
                        + " minority side of a partition) and shuts down; start it again to rejoin",
                    node);
              } else {
                log.info(
                    "Node [{}] stopped cleanly ({}): its API is closed and it left the cluster",
                    node,
                    CoordinatedShutdown.get(hive.system())
                        .getShutdownReason()
                        .map(Object::toString)
                        .orElse("terminated"));
              }
              return CompletableFuture.completedFuture(Done.getInstance());
            });
  }

  private static void serve(
      Hive hive, Config config, HttpSettings http, SecuritySettings securitySettings)
      throws Exception {
    // the matcher first rebuilds from the read side; after a rebuild of the read tables that
    // waits for the projection to catch up with the journal, which may take minutes
    sayWhenStopping(hive);
    var counts =
        hive.ready(READY_WITHIN)
            .toCompletableFuture()
            .get(READY_WITHIN.toSeconds(), TimeUnit.SECONDS);
    Security security = Security.start(hive.system(), hive.access(), securitySettings);
    HubBinding binding =
        HttpServer.start(hive.system(), http, securitySettings, routes(hive, http, security))
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    ApiReadiness.get(hive.system()).serving(true);
    CoordinatedShutdown.get(hive.system())
        .addTask(
            CoordinatedShutdown.PhaseBeforeServiceUnbind(),
            "not-ready",
            () -> {
              ApiReadiness.get(hive.system()).serving(false);
              return CompletableFuture.completedFuture(Done.getInstance());
            });
    String url =
        (securitySettings.tls().isPresent() ? "https" : "http")
            + "://"
            + binding.localAddress().getHostString()
            + ":"
            + binding.localAddress().getPort();
    if (securitySettings.enabled()) {
      FirstStart.ensureAdminKey(hive.access(), securitySettings, System.out, url)
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
    } else {
      log.warn("Authentication is off (HIVE_AUTH=off): every caller on this machine is admin");
    }
    long sinceJvmStart = ManagementFactory.getRuntimeMXBean().getUptime();
    // the counts are what the journal held: a fresh hub says 0, a restarted one what it recovered
    log.info(
        "Agent Hive {} ready on {} (node [{}]) in {} ms since JVM start: the journal holds"
            + " {} agents and {} unfinished tasks ({} waiting, {} running); data in {}",
        Version.current(),
        url,
        hive.nodeName(),
        sinceJvmStart,
        counts.knownAgents(),
        counts.pending() + counts.inFlight(),
        counts.pending(),
        counts.inFlight(),
        dataLocation(config));
    // after the ready line, not before it: the login decoy's bcrypt hash is CPU the start need not
    // share
    security.passwords().prepare();
  }

  private static String dataLocation(Config config) {
    return config.getString("hive.persistence.db").equals("postgres")
        ? "PostgreSQL " + config.getString("hive.persistence.postgres.url").replaceAll("\\?.*", "")
        : config.getString("hive.persistence.data-dir");
  }

  private static boolean isLoopback(String host) {
    try {
      return java.net.InetAddress.getByName(host).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }
}
