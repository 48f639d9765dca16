package io.agenthive.http.events;

import static akka.http.javadsl.server.Directives.*;

import akka.NotUsed;
import akka.http.javadsl.marshalling.sse.EventStreamMarshalling;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.sse.ServerSentEvent;
import akka.http.javadsl.model.ws.Message;
import akka.http.javadsl.model.ws.TextMessage;
import akka.http.javadsl.server.Route;
import akka.stream.javadsl.Flow;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.access.Principal;
import io.agenthive.access.Role;
import io.agenthive.caller.LiveAccess;
import io.agenthive.common.FieldError;
import io.agenthive.http.guard.Guard;
import io.agenthive.http.json.ApiError;
import io.agenthive.http.json.Json;
import io.agenthive.persistence.HiveEventFeed;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code GET /api/events}: every journaled hive event as JSON, over WebSocket or Server-Sent
 * Events. {@code ?since=<offset>} (or SSE {@code Last-Event-ID}) replays from the journal after
 * that offset and continues live, so a reconnecting client misses nothing and sees nothing twice.
 * Filters: {@code entity_kind} (task, agent, workflow, budgets, schedules, board, coordinator,
 * datasets, access) and {@code entity_id}; {@code event_names=false} sends SSE events without an
 * event name.
 *
 * <p>Backpressure: the feed is pulled from the journal, so a slow client slows only its own query;
 * per connection at most the read journal's buffer is held. The number of open streams is capped
 * ({@code hive.http.max-event-streams}); past it a new one gets 503 with Retry-After.
 */
public final class EventRoutes {
  /** The kind of the access registry's events: keys, users, logins. */
  static final String ACCESS = "access";

  public static final Map<String, String> KINDS =
      Map.of(
          "Task",
          "task",
          "Agent",
          "agent",
          "TaskBoard",
          "board",
          "HiveCoordinator",
          "coordinator",
          "DatasetJobs",
          "datasets",
          "Access",
          "access",
          "Workflow",
          "workflow",
          "Budgets",
          "budgets",
          "Schedules",
          "schedules");
  private final HiveEventFeed feed;
  private final int maxStreams;
  private final AtomicInteger open = new AtomicInteger();

  public EventRoutes(HiveEventFeed feed, int maxStreams) {
    this.feed = feed;
    this.maxStreams = maxStreams;
  }

  /** One event as the feed sends it. */
  public record EventJson(
      long offset,
      String entityKind,
      String entityId,
      long sequenceNr,
      String type,
      Instant timestamp,
      JsonNode payload) {}

  /** Event streams open now (SSE and WebSocket), for metrics. */
  public int openStreams() {
    return open.get();
  }

  public Route route(String requestId) {
    return path(
        "events",
        () ->
            get(
                () ->
                    parameterMap(
                        params ->
                            optionalHeaderValueByName(
                                "Last-Event-ID", lastEventId -> asCaller(params, lastEventId)))));
  }

  /** Who asks, and for as long as their access lasts (the stream ends when it does). */
  private Route asCaller(Map<String, String> params, Optional<String> lastEventId) {
    return Guard.principal(
        caller -> Guard.liveAccess(live -> stream(params, lastEventId, caller, live)));
  }

  /**
   * One stream for {@code caller}: access events (keys, users, logins) only for an admin, as on
   * every other feed; a non-admin who asks for them by kind is told so.
   */
  private Route stream(
      Map<String, String> params, Optional<String> lastEventId, Principal caller, LiveAccess l) {
    Query query = Query.from(params, lastEventId);
    boolean admin = caller.role().covers(Role.ADMIN);
    if (!admin && ACCESS.equals(query.kind())) {
      throw new ApiError(
          StatusCodes.FORBIDDEN,
          "forbidden",
          "access events (keys, users, logins) are for admins",
          List.of(),
          null);
    }
    return streamFor(query.withAccess(admin), l);
  }

  private Route streamFor(Query query, LiveAccess live) {
    if (open.get() >= maxStreams) {
      throw new ApiError(
          StatusCodes.SERVICE_UNAVAILABLE,
          "too_many_streams",
          "at most " + maxStreams + " event streams may be open; retry later",
          List.of(),
          5);
    }
    return concat(
        handleWebSocketMessages(
            Flow.fromSinkAndSourceCoupled(
                Sink.ignore(),
                live.cut(limited(query)).map(e -> (Message) TextMessage.create(json(e))))),
        completeOK(sse(query, live), EventStreamMarshalling.toEventStream()));
  }

  private Source<ServerSentEvent, NotUsed> sse(Query query, LiveAccess live) {
    return live.cut(limited(query))
        .map(
            e ->
                query.named()
                    ? ServerSentEvent.create(json(e), e.type(), Long.toString(e.offset()))
                    : ServerSentEvent.create(
                        json(e),
                        Optional.empty(),
                        Optional.of(Long.toString(e.offset())),
                        OptionalInt.empty()))
        .keepAlive(Duration.ofSeconds(15), ServerSentEvent::heartbeat);
  }

  /** The filtered feed, counted against the cap while it runs. */
  private Source<EventJson, NotUsed> limited(Query query) {
    return Source.lazySource(
            () -> {
              open.incrementAndGet();
              return feed.after(query.since(), true)
                  .map(EventRoutes::view)
                  .filter(query::matches)
                  .watchTermination(
                      (nu, done) -> {
                        done.whenComplete((d, t) -> open.decrementAndGet());
                        return NotUsed.getInstance();
                      });
            })
        .mapMaterializedValue(f -> NotUsed.getInstance());
  }

  public static EventJson view(HiveEventFeed.FeedEvent e) {
    return new EventJson(
        e.offset(),
        KINDS.getOrDefault(e.entityKind(), e.entityKind()),
        e.entityId(),
        e.sequenceNr(),
        e.type(),
        e.timestamp(),
        Json.MAPPER.valueToTree(e.payload()));
  }

  private static String json(EventJson e) {
    return new String(Json.bytes(e), StandardCharsets.UTF_8);
  }

  /**
   * {@code since}, {@code entity_kind}, {@code entity_id}; {@code access}: whether the caller may
   * see access events; {@code named}: whether an SSE event carries its type as the SSE event name
   * ({@code event_names=false} leaves it out, so a browser's EventSource hands every event, of any
   * type, even one added after the page was written, to its one {@code onmessage}: the type is in
   * the data too).
   */
  record Query(long since, String kind, String id, boolean access, boolean named) {
    Query withAccess(boolean may) {
      return new Query(since, kind, id, may, named);
    }

    static Query from(Map<String, String> params, Optional<String> lastEventId) {
      List<FieldError> errors = new ArrayList<>();
      long since = 0;
      String raw = params.getOrDefault("since", lastEventId.orElse(null));
      if (raw != null) {
        try {
          since = Long.parseLong(raw);
        } catch (NumberFormatException e) {
          since = -1;
        }
        if (since < 0) {
          errors.add(new FieldError("since", "must be an offset: a whole number of 0 or more"));
        }
      }
      String kind = params.get("entity_kind");
      if (kind != null && !KINDS.containsValue(kind)) {
        errors.add(new FieldError("entity_kind", "must be one of " + KINDS.values()));
      }
      String names = params.getOrDefault("event_names", "true");
      if (!names.equals("true") && !names.equals("false")) {
        errors.add(new FieldError("event_names", "must be true or false"));
      }
      for (String name : params.keySet()) {
        if (!List.of("since", "entity_kind", "entity_id", "event_names").contains(name)) {
          errors.add(new FieldError(name, "is not a known query parameter"));
        }
      }
      if (!errors.isEmpty()) {
        throw ApiError.invalid(errors);
      }
      return new Query(since, kind, params.get("entity_id"), false, names.equals("true"));
    }

    boolean matches(EventJson e) {
      return (access || !ACCESS.equals(e.entityKind()))
          && (kind == null || kind.equals(e.entityKind()))
          && (id == null || id.equals(e.entityId()));
    }
  }
}
