package io.agenthive.launcher;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.agenthive.mcp.McpSettings;
import io.agenthive.mcp.StdioMcp;
import java.net.URI;
import java.util.List;
import java.util.Set;

/**
 * {@code ./hive mcp --url http://host:8080}: the hive as MCP tools on stdio, for an assistant to
 * spawn. The key is {@code HIVE_API_KEY} (or, on the hub's own machine, its first admin key); it is
 * checked against the hub before any message is read, so a wrong one is one sentence on stderr.
 */
final class McpCommand {
  private static final String COMMAND = "./hive mcp";

  private McpCommand() {}

  static int run(Config config, List<String> args) throws Exception {
    CommandOptions o = CommandOptions.parse(COMMAND, args, Set.of("url"), Set.of());
    String url =
        o.text("url", "http://127.0.0.1:" + config.getInt("hive.http.port")).replaceAll("/+$", "");
    checkUrl(url);
    String key = AccessCommand.key(config);
    // stdout is the protocol's alone: whatever else would print there (a log appender, a
    // library) goes to stderr from here on
    java.io.PrintStream protocol = System.out;
    System.setOut(System.err);
    // a client-only actor system: no journal, no cluster, nothing printed on stdout
    ActorSystem<Void> system =
        ActorSystem.create(
            Behaviors.empty(),
            "hive-mcp",
            ConfigFactory.parseString(
                    "akka.actor.provider = local\n"
                        + "akka.loglevel = WARNING\n"
                        + "akka.stdout-loglevel = OFF\n"
                        + "akka.coordinated-shutdown.run-by-jvm-shutdown-hook = off")
                .withFallback(config.withOnlyPath("hive"))
                .withFallback(ConfigFactory.defaultReference()));
    try {
      StdioMcp mcp =
          new StdioMcp(
              system, url, key, McpSettings.from(system.settings().config()), Version.current());
      int status;
      try {
        status = mcp.check();
      } catch (RuntimeException e) {
        throw new UsageError(
            "Cannot reach the hub at "
                + url
                + " ("
                + e.getMessage()
                + "): start it, or give --url.");
      }
      if (status == 401 || status == 403) {
        throw new UsageError(
            "The hub at "
                + url
                + " refused the key ("
                + status
                + "): set HIVE_API_KEY to a key of that hub (./hive keys create --name assistant"
                + " --role operator).");
      }
      mcp.serve(System.in, protocol).toCompletableFuture().join(); // allowed: main, until EOF
      return 0;
    } finally {
      system.terminate();
    }
  }

  private static void checkUrl(String url) throws UsageError {
    try {
      URI uri = URI.create(url);
      if (!List.of("http", "https").contains(String.valueOf(uri.getScheme()))
          || uri.getHost() == null) {
        throw new IllegalArgumentException();
      }
    } catch (IllegalArgumentException e) {
      throw new UsageError(
          COMMAND
              + " --url needs the hub's address, such as http://127.0.0.1:8080 (got "
              + url
              + ").");
    }
  }
}
