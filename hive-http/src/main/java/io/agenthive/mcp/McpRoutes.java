package io.agenthive.mcp;

import static akka.http.javadsl.server.Directives.extractRequestContext;
import static akka.http.javadsl.server.Directives.pathPrefixTest;

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
  private final ActorSystem<?> system;
  private final String version;
  private final McpSettings settings;
  private final Materializer materializer;
  private final HubApi hub;
  private final int maxName;
  private volatile Transports transports;

  private record Transports(StreamableHttpTransport streamable, PlainJsonRpc plain) {}

  /** {@code api}: the hub's whole route tree as a function, asked for at the first call. */
  public McpRoutes(
      ActorSystem<?> system,
      String version,
      McpSettings settings,
      HubTokens tokens,
      Supplier<Function<HttpRequest, CompletionStage<HttpResponse>>> api) {
    this.system = system;
    this.version = version;
    this.settings = settings;
    this.materializer = Materializer.matFromSystem(system);
    this.maxName = HiveLimits.get(system).maxNameChars();
    this.hub =
        new HubApi(request -> api.get().apply(request), "", materializer, settings.callTimeout());
    // agents' tool loops call the same API through the same in-process client
    AgentTools.get(system)
        .install(new AgentToolbox(hub, tokens, new TaskWaiter(settings.pollInterval())));
  }

  /** {@code /mcp}, at the root. */
  public Route streamable() {
    return pathPrefixTest("mcp", () -> extractRequestContext(c -> transports().streamable.route()));
  }

  /** {@code /api/mcp} and {@code /api/mcp/health}, inside {@code /api}. */
  public Route plain() {
    return pathPrefixTest("mcp", () -> extractRequestContext(c -> transports().plain.route()));
  }

  /**
   * The MCP SDK's servers, made at the first request for them: the SDK, Reactor and the JSON Schema
   * validator are about 600 classes, 0.4 s of a cold start on two cores, which a hub that no MCP
   * client talks to never needs. The first MCP request of a node's life waits for them once.
   */
  private Transports transports() {
    Transports built = transports;
    if (built == null) {
      synchronized (this) {
        built = transports;
        if (built == null) {
          built = build();
          transports = built;
        }
      }
    }
    return built;
  }

  private Transports build() {
    McpServers servers =
        new McpServers(
            version, context -> hub.as(McpCallers.credential(context)), settings.pollInterval());
    SubscriptionWatcher watcher =
        new SubscriptionWatcher(hub, system, settings.pollInterval(), settings.maxWatched());
    StreamableHttpTransport streamable =
        new StreamableHttpTransport(
            McpServers.MAPPER,
            materializer,
            watcher,
            settings.sessionIdle(),
            settings.maxSessions(),
            settings.maxSessionsPerPrincipal(),
            maxName);
    servers.streamable(streamable, watcher);
    PlainJsonRpc plain =
        new PlainJsonRpc(context -> hub.as(McpCallers.credential(context)), maxName);
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
    return new Transports(streamable, plain);
  }
}
