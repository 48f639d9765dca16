package io.agenthive.a2a;

import static akka.http.javadsl.server.Directives.*;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.unmarshalling.Unmarshaller;
import akka.japi.function.Function;
import akka.stream.Materializer;
import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.access.Principal;
import io.agenthive.agent.AgentView;
import io.agenthive.caller.Caller;
import io.agenthive.mcp.HubApi;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub as an A2A server (docs/a2a.md): its card at {@code GET /.well-known/agent-card.json}
 * (open, like {@code /health}) and JSON-RPC at {@code POST /a2a} behind the same guard as {@code
 * /api}. Every method is a client of the hub's own REST API, called in-process with the caller's
 * credential as MCP's tools do: the same roles, validation, rate limits and journal, and nothing
 * the caller's key could not do through {@code /api}. Every failure is a JSON-RPC error, never a
 * 500.
 */
public final class A2aRoutes {
  private static final Logger log = LoggerFactory.getLogger(A2aRoutes.class);
  private final HubApi hub;
  private final AgentCardBuilder cards;
  private final CardAgents agents;
  private final TaskMethods tasks;
  private final PushMethods push;
  private final A2aStreams streams;

  /** {@code api}: the hub's whole route tree, asked for at the first call. */
  public A2aRoutes(
      ActorSystem<?> system,
      String version,
      Supplier<Function<HttpRequest, CompletionStage<HttpResponse>>> api,
      Supplier<CompletionStage<List<AgentView>>> agents) {
    A2aSettings settings = A2aSettings.from(system.settings().config());
    Materializer materializer = Materializer.matFromSystem(system);
    this.hub =
        new HubApi(request -> api.get().apply(request), "", materializer, settings.callTimeout());
    this.cards =
        new AgentCardBuilder(
            system.settings().config().getString("hive.id"), version, settings.publicUrl());
    this.agents = new CardAgents(agents, settings.cardListsCapabilities(), settings.cardCache());
    TaskFollower follower = new TaskFollower(materializer, settings.pollInterval());
    this.tasks = new TaskMethods(follower, settings.maxBlockingWait());
    this.push = new PushMethods(new PushNotifications(system, settings, follower));
    this.streams = new A2aStreams(follower, settings);
  }

  /** At the root: the card and the endpoint. */
  public Route route() {
    return concat(
        pathPrefix(
            ".well-known",
            () -> path("agent-card.json", () -> get(() -> extractRequest(this::card)))),
        path(
            "a2a",
            () ->
                post(
                    () ->
                        extractRequest(
                            request ->
                                entity(
                                    Unmarshaller.entityToString(),
                                    body ->
                                        Caller.principal(
                                            caller -> answer(request, caller, body)))))));
  }

  private Route card(HttpRequest request) {
    String endpoint = cards.endpoint(request);
    return completeWithFuture(
        agents
            .get()
            .thenApply(
                list ->
                    HttpResponse.create()
                        .withEntity(
                            ContentTypes.APPLICATION_JSON, cards.card(endpoint, list).toString())));
  }

  private Route answer(HttpRequest request, Principal caller, String body) {
    JsonRpc.Request rpc;
    A2aVersion v;
    try {
      rpc = JsonRpc.parse(body);
    } catch (JsonRpc.Failed f) {
      return complete(error(f.id, f.error, A2aVersion.V1_0));
    } catch (A2aError e) {
      return complete(error(null, e, A2aVersion.V1_0));
    }
    try {
      v = A2aVersion.of(request.getHeader("A2A-Version").map(h -> h.value()), rpc.method());
    } catch (A2aError e) {
      return complete(error(rpc.id(), e, A2aVersion.V1_0));
    }
    Optional<String> bearer = Caller.bearer(request);
    if (bearer.isEmpty() && caller.kind() != Principal.Kind.ANONYMOUS) {
      // the guard admitted a ?access_token= (and took it off the request): the methods call the
      // API with the caller's credential, so they would all be refused; say how to send it instead
      return complete(
          error(
              rpc.id(),
              new A2aError(
                  A2aError.INVALID_REQUEST,
                  "send the credential as Authorization: Bearer <key or token>; a credential in"
                      + " the query (access_token) is not accepted on /a2a",
                  null,
                  401),
              v));
    }
    HubApi.Caller as = hub.as(bearer.orElse(null));
    CompletionStage<HttpResponse> answered;
    try {
      answered = dispatch(rpc, v, as, caller);
    } catch (RuntimeException e) {
      answered = CompletableFuture.failedFuture(e);
    }
    JsonNode id = rpc.id();
    return completeWithFuture(
        answered.exceptionally(e -> error(id, asA2aError(e, rpc.method()), v)));
  }

  private CompletionStage<HttpResponse> dispatch(
      JsonRpc.Request rpc, A2aVersion v, HubApi.Caller as, Principal caller) {
    JsonNode params = rpc.params();
    return switch (A2aVersion.canonical(rpc.method())) {
      case "SendMessage" -> ok(rpc, send(as, caller, params, v));
      case "GetTask" -> ok(rpc, tasks.get(as, params, v));
      case "ListTasks" -> ok(rpc, tasks.list(as, params, v));
      case "CancelTask" -> ok(rpc, tasks.cancel(as, params, v));
      case "SendStreamingMessage" -> sendStreaming(rpc, as, caller, v);
      case "SubscribeToTask" -> subscribe(rpc, as, caller, v);
      case "CreateTaskPushNotificationConfig" -> ok(rpc, push.create(as, caller, params, v));
      case "GetTaskPushNotificationConfig" -> ok(rpc, push.get(as, caller, params, v));
      case "ListTaskPushNotificationConfigs" -> ok(rpc, push.list(as, caller, params, v));
      case "DeleteTaskPushNotificationConfig" -> ok(rpc, push.delete(as, caller, params, v));
      case "GetExtendedAgentCard" ->
          throw new A2aError(
              A2aError.EXTENDED_CARD_NOT_CONFIGURED,
              "this hub has no extended card: its public card is the whole card");
      default ->
          throw new A2aError(
              A2aError.METHOD_NOT_FOUND,
              "method not found: " + rpc.method() + " (see /.well-known/agent-card.json)");
    };
  }

  /** SendMessage, with the push config its configuration may carry (checked before the task). */
  private CompletionStage<JsonNode> send(
      HubApi.Caller as, Principal caller, JsonNode params, A2aVersion v) {
    PushConfig config = push.fromSend(params, v, caller);
    if (config == null) {
      return tasks.send(as, params, v);
    }
    // the push place is held before the task is made: no task is made that its config cannot keep
    PushStore.Slot slot = push.reserve(config);
    return created(as, params)
        .thenCompose(
            task -> {
              push.added(config.forTask(task.path("id").asText()), as, slot);
              return tasks.sendExisting(as, task, params, v);
            })
        .whenComplete((r, e) -> slot.release());
  }

  private CompletionStage<HttpResponse> sendStreaming(
      JsonRpc.Request rpc, HubApi.Caller as, Principal caller, A2aVersion v) {
    PushConfig config = push.fromSend(rpc.params(), v, caller);
    A2aStreams.Room room = streams.reserve(caller.label());
    PushStore.Slot slot;
    try {
      slot = config == null ? null : push.reserve(config);
    } catch (RuntimeException e) {
      room.release();
      throw e;
    }
    return created(as, rpc.params())
        .thenApply(
            task -> {
              if (config != null) {
                push.added(config.forTask(task.path("id").asText()), as, slot);
              }
              return streams.stream(rpc.id(), as, task, v, rpc.params(), room);
            })
        .whenComplete(
            (r, e) -> {
              if (slot != null) {
                slot.release(); // a no-op once the config took it
              }
              if (e != null) {
                room.release(); // no stream was made
              }
            });
  }

  /**
   * The task made, its message's bad fields as a failed stage too, so held places are given back.
   */
  private static CompletionStage<JsonNode> created(HubApi.Caller as, JsonNode params) {
    return CompletableFuture.completedStage(params).thenCompose(p -> TaskMethods.create(as, p));
  }

  private CompletionStage<HttpResponse> subscribe(
      JsonRpc.Request rpc, HubApi.Caller as, Principal caller, A2aVersion v) {
    String id = HubReplies.taskId(rpc.params(), "id");
    A2aStreams.Room room = streams.reserve(caller.label());
    return as.call("GET", "/api/tasks/" + id, null)
        .thenApply(
            reply -> {
              JsonNode task = HubReplies.ok(reply, id, "");
              if (A2aShapes.isFinal(A2aShapes.state(task))) {
                throw new A2aError(
                    A2aError.UNSUPPORTED_OPERATION,
                    "task " + id + " is final (" + task.path("status").asText() + "): use GetTask");
              }
              return streams.stream(rpc.id(), as, task, v, rpc.params(), room);
            })
        .whenComplete(
            (r, e) -> {
              if (e != null) {
                room.release(); // no stream was made
              }
            });
  }

  private static CompletionStage<HttpResponse> ok(
      JsonRpc.Request rpc, CompletionStage<JsonNode> result) {
    return result.thenApply(r -> json(200, JsonRpc.result(rpc.id(), r)));
  }

  private static A2aError asA2aError(Throwable e, String method) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof A2aError a) {
      return a;
    }
    if (cause instanceof JsonRpc.Failed f) {
      return f.error;
    }
    log.warn("A2A {} failed", method, cause);
    return new A2aError(A2aError.INTERNAL, "internal error: " + cause.getClass().getSimpleName());
  }

  private static HttpResponse error(JsonNode id, A2aError e, A2aVersion v) {
    return json(e.httpStatus, JsonRpc.error(id, e, v));
  }

  private static HttpResponse json(int status, JsonNode body) {
    return HttpResponse.create()
        .withStatus(StatusCodes.get(status))
        .withEntity(ContentTypes.APPLICATION_JSON, body.toString());
  }
}
