package io.agenthive.http.api;

import static akka.http.javadsl.server.Directives.*;
import static akka.http.javadsl.server.PathMatchers.segment;

import akka.NotUsed;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import akka.japi.Pair;
import akka.stream.BoundedSourceQueue;
import akka.stream.QueueCompletionResult;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import io.agenthive.common.FieldError;
import io.agenthive.hive.Hive;
import io.agenthive.http.events.EventRoutes;
import io.agenthive.http.json.ApiError;
import io.agenthive.http.json.Responses;
import io.agenthive.persistence.HiveEventFeed;
import io.agenthive.persistence.HiveReplay;
import io.agenthive.persistence.audit.JournalAudit;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The audit trail: one entity's history, why a task went where it went, every event in a range as
 * NDJSON (streamed, never held whole), and the whole hive rebuilt as of an instant.
 */
public final class AuditRoutes {
  private final Hive hive;
  private final HiveEventFeed feed;
  private final HiveReplay replay;
  private final JournalAudit journal;
  private static final int PROGRESS_BUFFER = 16;
  private final AtomicBoolean verifying = new AtomicBoolean();

  public AuditRoutes(Hive hive, HiveEventFeed feed, JournalAudit journal) {
    this.hive = hive;
    this.feed = feed;
    this.replay = new HiveReplay(hive.system(), feed);
    this.journal = journal;
  }

  record HistoryJson(String entityKind, String entityId, List<EventRoutes.EventJson> events) {}

  public Route route(String requestId) {
    return concat(
        pathPrefix(
            "tasks",
            () ->
                pathPrefix(
                    segment(),
                    id ->
                        concat(
                            path("history", () -> get(() -> history(requestId, "Task", id))),
                            path("explain", () -> get(() -> explain(requestId, id)))))),
        pathPrefix(
            "agents",
            () ->
                pathPrefix(
                    segment(),
                    id -> path("history", () -> get(() -> history(requestId, "Agent", id))))),
        pathPrefix(
            "workflows",
            () ->
                pathPrefix(
                    segment(),
                    id -> path("history", () -> get(() -> history(requestId, "Workflow", id))))),
        path(segment("audit").slash("verify"), () -> get(() -> verify(requestId))),
        path(
            segment("audit").slash("events"),
            () -> get(() -> parameterMap(params -> auditEvents(AuditQuery.from(params))))),
        path(
            segment("hive").slash("state"),
            () ->
                get(
                    () ->
                        parameterMap(
                            params -> state(requestId, AuditQuery.instant(params, "at"))))));
  }

  private Route history(String requestId, String kind, String id) {
    return Responses.async(
        requestId,
        events(kind, id),
        events -> {
          if (events.isEmpty()) {
            throw ApiError.notFound(kind.toLowerCase(Locale.ROOT) + " " + id + " not found");
          }
          return Responses.json(
              StatusCodes.OK, new HistoryJson(EventRoutes.KINDS.get(kind), id, events));
        });
  }

  private CompletionStage<List<EventRoutes.EventJson>> events(String kind, String id) {
    return feed.ofEntity(kind, id).map(EventRoutes::view).runWith(Sink.seq(), hive.system());
  }

  private Route explain(String requestId, String id) {
    return Responses.async(
        requestId,
        feed.ofEntity("Task", id).runWith(Sink.seq(), hive.system()),
        events -> {
          if (events.isEmpty()) {
            throw ApiError.notFound("task " + id + " not found");
          }
          return Responses.json(
              StatusCodes.OK, TaskExplanation.of(id, events, hive.budgets().holds()));
        });
  }

  private Route auditEvents(AuditQuery query) {
    Source<ByteString, NotUsed> lines =
        feed.after(query.fromOffset(), false)
            .takeWhile(e -> e.offset() <= query.toOffset())
            .map(EventRoutes::view)
            .filter(query::matches)
            .map(e -> ByteString.fromArray(AuditFormat.ndjsonLine(e)));
    return complete(
        HttpResponse.create()
            .withEntity(HttpEntities.create(ContentTypes.parse("application/x-ndjson"), lines)));
  }

  /**
   * Walks the whole journal: a progress line every 10,000 rows read (dropped, not queued, when the
   * client reads slowly), then the result, or an error line. The walk runs on the blocking
   * dispatcher, one at a time on a node (409 for another while it runs), and stops when the client
   * goes away.
   */
  private Route verify(String requestId) {
    if (!verifying.compareAndSet(false, true)) {
      throw new ApiError(
          StatusCodes.CONFLICT,
          "verification_running",
          "a verification of the journal is already running on this node: wait for its result",
          List.of(),
          null);
    }
    Pair<BoundedSourceQueue<ByteString>, Source<ByteString, NotUsed>> out;
    try {
      out = Source.<ByteString>queue(PROGRESS_BUFFER).preMaterialize(hive.system());
      BoundedSourceQueue<ByteString> lines = out.first();
      journal
          .verify(
              rowsRead -> {
                if (lines.size() < PROGRESS_BUFFER - 1 // the last place is the result's
                    && lines.offer(ByteString.fromArray(VerifyFormat.progressLine(rowsRead)))
                        instanceof QueueCompletionResult) {
                  throw new CancellationException("the client went away");
                }
              })
          .whenComplete(
              (report, error) -> {
                verifying.set(false);
                lines.offer(
                    ByteString.fromArray(
                        error == null
                            ? VerifyFormat.resultLine(report)
                            : VerifyFormat.errorLine(
                                "the verification stopped: " + describe(rootCause(error)))));
                lines.complete();
              });
    } catch (RuntimeException e) {
      verifying.set(false); // nothing started: the next request may try
      throw e;
    }
    return complete(
        HttpResponse.create()
            .withEntity(
                HttpEntities.create(
                    ContentTypes.parse("application/x-ndjson"),
                    // an idle connection is closed after a minute: a long pass sends blank lines
                    out.second()
                        .keepAlive(
                            java.time.Duration.ofSeconds(15), () -> ByteString.fromString("\n")))));
  }

  private static String describe(Throwable t) {
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  private static Throwable rootCause(Throwable t) {
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  private Route state(String requestId, Instant at) {
    if (at == null) {
      throw ApiError.invalid(
          List.of(
              new FieldError(
                  "at", "is required: an ISO-8601 instant such as 2026-11-22T12:00:00Z")));
    }
    return Responses.async(
        requestId, replay.at(at), s -> Responses.json(StatusCodes.OK, AuditFormat.stateJson(s)));
  }
}
