package io.agenthive.launcher;

import com.typesafe.config.Config;
import akka.http.javadsl.ServerBinding;
import io.agenthive.hive.Hive;
import io.agenthive.http.ApiRoutes;
import io.agenthive.http.HttpServer;
import io.agenthive.http.HttpSettings;
import io.agenthive.persistence.HiveEventFeed;
import io.agenthive.persistence.HiveNode;
import io.agenthive.persistence.readside.ReadSide;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one hub node and its HTTP API until the process is stopped; coordinated shutdown unbinds
 * the API and closes the node cleanly.
 */
final class ServeCommand {
  private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);
  private static final Duration READY_WITHIN = Duration.ofMinutes(30);

  private ServeCommand() {}

  /** The API on this node, with the read side it needs (read model projection, event feed). */
  static akka.http.javadsl.server.Route routes(Hive hive, HttpSettings http) throws Exception {
    ReadSide readSide =
        ReadSide.start(hive.system()).toCompletableFuture().get(60, TimeUnit.SECONDS);
    return new ApiRoutes(hive, http, readSide, new HiveEventFeed(hive.system()),
        Version.current()).route();
  }

  static int run(Config config) throws Exception {
    Hive hive = HiveNode.start("hive", config);
    // the matcher first rebuilds from the read side; after a rebuild of the read tables that
    // waits for the projection to catch up with the journal, which may take minutes
    var counts = hive.ready(READY_WITHIN).toCompletableFuture()
        .get(READY_WITHIN.toSeconds(), TimeUnit.SECONDS);
    HttpSettings http = HttpSettings.from(config);
    ServerBinding binding = HttpServer.start(hive.system(), http,
        routes(hive, http))
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    long sinceJvmStart = ManagementFactory.getRuntimeMXBean().getUptime();
    log.info("Agent Hive {} ready on http://{}:{} (node [{}]) in {} ms since JVM start: {}"
            + " agents, {} tasks waiting, {} running, data in {}", Version.current(),
        binding.localAddress().getHostString(), binding.localAddress().getPort(),
        hive.settings().nodeName(), sinceJvmStart, counts.knownAgents(), counts.pending(),
        counts.inFlight(), config.getString("hive.persistence.data-dir"));
    hive.system().getWhenTerminated().toCompletableFuture().get();
    return 0;
  }
}
