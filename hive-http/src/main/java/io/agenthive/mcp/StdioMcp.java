package io.agenthive.mcp;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.Http;
import akka.stream.Materializer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletionStage;

/**
 * {@code ./hive mcp}: an MCP server on standard input and output for an assistant to spawn, whose
 * tools call a running hub's API at {@code url} with one key. Standard output carries the protocol
 * only; logs go to standard error.
 */
public final class StdioMcp {
  private static final int MAX_LINE = 4 << 20;

  private final HubApi api;
  private final String key;
  private final ActorSystem<?> system;
  private final McpSettings settings;
  private final String version;

  public StdioMcp(
      ActorSystem<?> system, String url, String key, McpSettings settings, String version) {
    this.system = system;
    this.key = key;
    this.settings = settings;
    this.version = version;
    this.api =
        new HubApi(
            request -> Http.get(system).singleRequest(request),
            url,
            Materializer.matFromSystem(system),
            settings.callTimeout());
  }

  /** The hub's answer to this key: 200 when it may go on, else the status to explain. */
  public int check() {
    return api.as(key).raw("GET", "/api/auth/me", null).status();
  }

  /** Serves until standard input ends; the stage completes then. */
  public CompletionStage<Void> serve(InputStream in, OutputStream out) {
    SubscriptionWatcher watcher =
        new SubscriptionWatcher(api, system, settings.pollInterval(), settings.maxWatched());
    LineTap.LineOutput lines = new LineTap.LineOutput(out);
    LineTap tapped = new LineTap(in, lines, request -> watcher.observe(request, key), MAX_LINE);
    McpServers servers = new McpServers(version, context -> api.as(key), settings.pollInterval());
    var server =
        servers.stdio(new StdioServerTransportProvider(McpServers.MAPPER, tapped, lines), watcher);
    return tapped.ended.whenComplete(
        (done, error) -> {
          watcher.stop();
          server.closeGracefully();
        });
  }
}
