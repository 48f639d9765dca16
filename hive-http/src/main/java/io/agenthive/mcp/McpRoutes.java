package io.agenthive.mcp;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.server.Route;
import akka.japi.function.Function;
import akka.stream.Materializer;
import io.agenthive.common.HiveLimits;
import io.agenthive.security.HubTokens;
import io.agenthive.skill.tools.AgentTools;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * MCP on the hub itself: Streamable HTTP at {@code /mcp} and the seed's plain JSON-RPC at {@code
 * /api/mcp}. Both sit inside the guard, so no credentials means 401 before any MCP message is read.
 * Their tools call the hub's own route tree in-process (no socket), as the caller: the same code
 * path, roles and errors as a client of the REST API.
 */
public final class McpRoutes {
  private final StreamableHttpTransport streamable;
  private final PlainJsonRpc plain;

  /** {@code api}: the hub's whole route tree as a function, asked for at the first call. */
  public McpRoutes(
      ActorSystem<?> system,
      String version,
      McpSettings settings,
      HubTokens tokens,
      Supplier<Function<HttpRequest, CompletionStage<HttpResponse>>> api) {
    Materializer materializer = Materializer.matFromSystem(system);
    int maxName = HiveLimits.get(system).maxNameChars();
    HubApi hub =
        new HubApi(request -> api.get().apply(request), "", materializer, settings.callTimeout());
    McpServers servers =
        new McpServers(
            version, context -> hub.as(McpCallers.credential(context)), settings.pollInterval());
    // agents' tool loops call the same API through the same in-process client
    AgentTools.get(system)
        .install(new AgentToolbox(hub, tokens, new TaskWaiter(settings.pollInterval())));
    SubscriptionWatcher watcher =
        new SubscriptionWatcher(hub, system, settings.pollInterval(), settings.maxWatched());
    this.streamable =
        new StreamableHttpTransport(
            McpServers.MAPPER,
            materializer,
            watcher,
            settings.sessionIdle(),
            settings.maxSessions(),
            settings.maxSessionsPerPrincipal(),
            maxName);
    servers.streamable(streamable, watcher);
    this.plain = new PlainJsonRpc(context -> hub.as(McpCallers.credential(context)), maxName);
    servers.stateless(plain);
    // open session streams would hold the HTTP server's drain until its deadline: end them first
    CoordinatedShutdown.get(system)
        .addTask(
            CoordinatedShutdown.PhaseBeforeServiceUnbind(),
            "mcp-sessions",
            () -> {
              watcher.stop();
              return streamable.closeGracefully().thenReturn(Done.getInstance()).toFuture();
            });
  }

  /** {@code /mcp}, at the root. */
  public Route streamable() {
    return streamable.route();
  }

  /** {@code /api/mcp} and {@code /api/mcp/health}, inside {@code /api}. */
  public Route plain() {
    return plain.route();
  }
}
