package io.agenthive.http.dashboard;

import akka.NotUsed;
import akka.http.javadsl.model.ws.Message;
import akka.http.javadsl.model.ws.TextMessage;
import akka.stream.Materializer;
import akka.stream.OverflowStrategy;
import akka.stream.javadsl.Flow;
import akka.stream.javadsl.Source;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agenthive.access.Principal;
import io.agenthive.access.Role;
import io.agenthive.common.HiveException;
import io.agenthive.hive.Hive;
import io.agenthive.http.api.AgentRequest;
import io.agenthive.http.api.TaskRequest;
import io.agenthive.http.json.ApiError;
import io.agenthive.http.json.ErrorHandling;
import io.agenthive.http.json.Json;
import io.agenthive.http.json.WsText;
import io.agenthive.security.AccessPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One dashboard connection on {@code /ws}, speaking the seed hub's protocol: {@code hive_status} on
 * connect, shared snapshots and coalesced changes from {@link DashboardFeed}, and answers to {@code
 * create_agent}, {@code create_task}, {@code get_status} and {@code ping}. A bad message gets an
 * {@code error} message; the connection stays open.
 *
 * <p>Slow clients: snapshots are conflated to the latest, changes kept in a bounded buffer that
 * drops the oldest (the next snapshot repairs what was dropped), so a slow reader costs a fixed
 * amount of memory and never slows the hub or other clients.
 */
public final class DashboardSocket {
  private final Hive hive;
  private final DashboardFeed feed;
  private final String hiveId;
  private final Instant createdAt;
  private final int maxMessageChars;
  private final int changeBuffer;
  private final int maxConnections;
  private final Materializer mat;

  public DashboardSocket(
      Hive hive,
      DashboardFeed feed,
      String hiveId,
      int maxMessageChars,
      int changeBuffer,
      int maxConnections) {
    this.maxConnections = maxConnections;
    this.hive = hive;
    this.feed = feed;
    this.hiveId = hiveId;
    this.createdAt = Instant.now();
    this.maxMessageChars = maxMessageChars;
    this.changeBuffer = changeBuffer;
    this.mat = Materializer.matFromSystem(hive.system());
  }

  /** Dashboards connected to this node now. */
  public int connectedClients() {
    return feed.connectedClients();
  }

  /** Whether another connection may open now; past the cap the upgrade is refused with 503. */
  public boolean hasRoom() {
    return feed.connectedClients() < maxConnections;
  }

  /** One dashboard's connection; what it may change depends on {@code caller}'s role. */
  public Flow<Message, Message, NotUsed> flow(Principal caller) {
    // what this connection created: its reply announced it, so the feed's announcement is dropped
    Set<String> announced = ConcurrentHashMap.newKeySet();
    Source<String, NotUsed> pushed =
        Source.completionStage(feed.hiveStatus(hiveId, createdAt, null))
            .concat(
                feed.snapshots
                    .conflate((older, newer) -> newer)
                    .mapConcat(list -> list)
                    .merge(
                        feed.changes
                            .buffer(changeBuffer, OverflowStrategy.dropHead())
                            .filter(c -> c.createdId() == null || !announced.remove(c.createdId()))
                            .map(DashboardFeed.Change::text)));
    return Flow.<Message>create()
        .mapAsync(1, this::read)
        .mapAsync(1, in -> answer(in, caller, announced))
        .merge(pushed, true)
        .map(text -> (Message) TextMessage.create(text))
        .watchTermination(
            (nu, done) -> {
              feed.connected();
              done.whenComplete((d, t) -> feed.disconnected());
              return NotUsed.getInstance();
            });
  }

  private CompletionStage<WsText.Incoming> read(Message m) {
    return WsText.read(m, maxMessageChars, mat);
  }

  private CompletionStage<String> answer(
      WsText.Incoming in, Principal caller, Set<String> announced) {
    if (in.problem() != null) {
      return done(error("bad_message", in.problem(), null, null));
    }
    JsonNode msg;
    try {
      msg = Json.parseInput(in.text().getBytes(StandardCharsets.UTF_8));
    } catch (ApiError e) {
      return done(error(e.code(), e.getMessage(), null, null));
    }
    String correlation =
        msg.path("correlation_id").isTextual() ? msg.get("correlation_id").asText() : null;
    String action = msg.path("action").asText("");
    JsonNode payload = msg.path("payload");
    Role needed = AccessPolicy.SOCKET_ACTIONS.get(action);
    if (needed != null && !caller.role().covers(needed)) {
      return done(
          error(
              "forbidden",
              "role "
                  + caller.role().label()
                  + " may not "
                  + action
                  + "; it needs "
                  + needed.label(),
              null,
              correlation));
    }
    try {
      return switch (action) {
        case "ping" ->
            done(
                Json.MAPPER
                    .createObjectNode()
                    .put("action", "pong")
                    .set("sequenceId", msg.get("sequenceId"))
                    .toString());
        case "get_status" -> feed.hiveStatus(hiveId, createdAt, correlation);
        case "create_agent" ->
            hive.agents()
                .register(AgentRequest.parse(withoutBlankCapabilities(payload)), caller)
                .thenApply(
                    a ->
                        DashboardFormat.envelope(
                            "agent_created",
                            Map.of("success", true, "agent_id", remember(announced, a.id())),
                            correlation))
                .exceptionally(e -> failure(e, correlation));
        case "create_task" ->
            hive.tasks()
                .submit(TaskRequest.parse(payload, null), caller, null, null)
                .thenApply(
                    s ->
                        DashboardFormat.envelope(
                            "task_created",
                            Map.of("success", true, "task_id", remember(announced, s.task().id())),
                            correlation))
                .exceptionally(e -> failure(e, correlation));
        default -> done(error("unknown_action", "Unknown action: " + action, null, correlation));
      };
    } catch (ApiError e) {
      return done(error(e.code(), e.getMessage(), e, correlation));
    }
  }

  /** Bounded: an id whose feed announcement was dropped (slow client) would otherwise stay. */
  private static String remember(Set<String> announced, String id) {
    if (announced.size() >= 10_000) {
      announced.clear();
    }
    announced.add(id);
    return id;
  }

  /**
   * The seed dashboard's create form sends its empty capability rows ({@code name: ""}) too; they
   * mean nothing, so they are left out instead of failing the whole create. REST stays strict.
   */
  static JsonNode withoutBlankCapabilities(JsonNode payload) {
    if (!(payload instanceof ObjectNode o) || !o.path("capabilities").isArray()) {
      return payload;
    }
    ObjectNode copy = o.deepCopy();
    ArrayNode kept = copy.putArray("capabilities");
    for (JsonNode c : o.get("capabilities")) {
      boolean blank =
          c.isObject() && c.path("name").isTextual() && c.get("name").asText().isBlank();
      if (!blank) {
        kept.add(c);
      }
    }
    return copy;
  }

  private static String failure(Throwable t, String correlation) {
    Throwable cause = ErrorHandling.unwrap(t);
    ApiError e =
        cause instanceof ApiError a
            ? a
            : cause instanceof HiveException h
                ? ApiError.from(h)
                : ApiError.badRequest("failed", String.valueOf(cause.getMessage()));
    return error(e.code(), e.getMessage(), e, correlation);
  }

  /** The seed's error message ({@code data.error}) plus our code and field errors. */
  private static String error(String code, String message, ApiError e, String correlation) {
    ObjectNode data = Json.MAPPER.createObjectNode();
    data.put("error", message).put("code", code);
    data.set("field_errors", Json.MAPPER.valueToTree(e == null ? List.of() : e.fieldErrors()));
    return DashboardFormat.envelope("error", data, correlation);
  }

  private static CompletionStage<String> done(String s) {
    return CompletableFuture.completedFuture(s);
  }
}
