package io.agenthive.mcp;

import static akka.http.javadsl.server.Directives.complete;
import static akka.http.javadsl.server.Directives.pathPrefixTest;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import akka.japi.function.Function;
import akka.stream.Materializer;
import io.agenthive.common.HiveLimits;
import io.agenthive.security.HubTokens;
import io.agenthive.skill.tools.AgentTools;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.concurrent.CompletableFuture;
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
  private final Object lock = new Object();
  private volatile Transports transports;
  private boolean closing; // guarded by lock

  private record Transports(
      StreamableHttpTransport streamable, PlainJsonRpc plain, SubscriptionWatcher watcher) {}

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
    // open session streams would hold the HTTP server's drain until its deadline: end them first
    CoordinatedShutdown.get(system)
        .addTask(
            CoordinatedShutdown.PhaseBeforeServiceUnbind(), "mcp-sessions", this::closeSessions);
  }

  /** {@code /mcp}, at the root. The test only reads the path: the transport's route matches it. */
  public Route streamable() {
    return pathPrefixTest("mcp", () -> transportsOr503(t -> t.streamable.route()));
  }

  /** {@code /api/mcp} and {@code /api/mcp/health}, inside {@code /api}. */
  public Route plain() {
    return pathPrefixTest("mcp", () -> transportsOr503(t -> t.plain.route()));
  }

  private Route transportsOr503(java.util.function.Function<Transports, Route> route) {
    Transports built = transports();
    if (built == null) {
      return complete(
          HttpResponse.create()
              .withStatus(StatusCodes.SERVICE_UNAVAILABLE)
              .withEntity(
                  ContentTypes.APPLICATION_JSON,
                  McpServers.errorWithoutId(
                      McpSchema.ErrorCodes.INTERNAL_ERROR, "the hub is stopping")));
    }
    return route.apply(built);
  }

  /**
   * The MCP SDK's servers, made at the first request for them: the SDK, Reactor and the JSON Schema
   * validator are about 600 classes, 0.4 s of a cold start on two cores, which a hub that no MCP
   * client talks to never needs. The first MCP request of a node's life waits for them once. Null
   * once the node stops: servers made then would hold sessions that nothing ends.
   */
  private Transports transports() {
    Transports built = transports;
    if (built == null) {
      synchronized (lock) {
        built = transports;
        if (built == null && !closing) {
          built = build();
          transports = built;
        }
      }
    }
    return built;
  }

  private CompletionStage<Done> closeSessions() {
    Transports built;
    synchronized (lock) {
      closing = true;
      built = transports;
    }
    if (built == null) {
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    built.watcher.stop();
    return built.streamable.closeGracefully().thenReturn(Done.getInstance()).toFuture();
  }

  private Transports build() {
    McpServers servers =
        new McpServers(
            version, context -> hub.as(McpCallers.credential(context)), settings.pollInterval());
    SubscriptionWatcher watcher =
        new SubscriptionWatcher(hub, system, settings.pollInterval(), settings.maxWatched());
    try {
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
      return new Transports(streamable, plain, watcher);
    } catch (RuntimeException failed) {
      watcher.stop(); // its poll would tick on for servers that never came to be
      throw failed;
    }
  }
}
