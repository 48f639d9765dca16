package io.agenthive.persistence;

import akka.NotUsed;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import akka.persistence.jdbc.query.javadsl.JdbcReadJournal;
import akka.persistence.query.EventEnvelope;
import akka.persistence.query.Offset;
import akka.persistence.query.PersistenceQuery;
import akka.persistence.query.Sequence;
import akka.stream.javadsl.Source;
import io.agenthive.access.AccessEvent;
import io.agenthive.agent.AgentEvent;
import io.agenthive.common.HiveTags;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Every journaled hive event in journal order, from just after a given offset (the journal's global
 * ordering), then live. Pull-based end to end: a slow consumer slows the journal query instead of
 * growing a buffer.
 */
public final class HiveEventFeed {
  static final String BULK_READ_JOURNAL = "hive-bulk-read-journal";
  private final JdbcReadJournal journal;
  private final JdbcReadJournal bulk;
  private final DatabaseSettings db;
  private final Executor blocking;

  public HiveEventFeed(ActorSystem<?> system) {
    this.journal =
        PersistenceQuery.get(system)
            .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
    this.bulk =
        PersistenceQuery.get(system).getReadJournalFor(JdbcReadJournal.class, BULK_READ_JOURNAL);
    this.db = DatabaseSettings.from(system.settings().config());
    this.blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
  }

  /** The journal's newest offset now, so a live-only reader can start after it. */
  public CompletionStage<Long> latestOffset() {
    return CompletableFuture.supplyAsync(
        () -> {
          try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
              Statement st = c.createStatement();
              ResultSet rs =
                  st.executeQuery(
                      "SELECT COALESCE(MAX(\"ordering\"), 0)" + " FROM \"event_journal\"")) {
            rs.next();
            return rs.getLong(1);
          } catch (SQLException e) {
            throw new CompletionException(e);
          }
        },
        blocking);
  }

  /** One journaled event: {@code entityKind} is the persistence id's type part. */
  public record FeedEvent(
      long offset,
      String entityKind,
      String entityId,
      long sequenceNr,
      String type,
      Instant timestamp,
      Object payload) {}

  /** Live: then follows new events. Not live: what is journaled now, read in large pages. */
  public Source<FeedEvent, NotUsed> after(long offset, boolean live) {
    Source<EventEnvelope, NotUsed> events =
        live
            ? journal.eventsByTag(HiveTags.ALL, Offset.sequence(offset))
            : bulk.currentEventsByTag(HiveTags.ALL, Offset.sequence(offset));
    return events.map(HiveEventFeed::toFeedEvent);
  }

  /** One entity's events in order, as journaled now ({@code kind} is e.g. "Task"). */
  public Source<FeedEvent, NotUsed> ofEntity(String kind, String id) {
    return journal
        .currentEventsByPersistenceId(kind + "|" + id, 0L, Long.MAX_VALUE)
        .map(HiveEventFeed::toFeedEvent);
  }

  static FeedEvent toFeedEvent(EventEnvelope e) {
    String pid = e.persistenceId();
    int bar = pid.indexOf('|');
    String kind = bar < 0 ? pid : pid.substring(0, bar);
    String id = bar < 0 ? "" : pid.substring(bar + 1);
    long offset = e.offset() instanceof Sequence s ? s.value() : 0L;
    // access events carry hashes of secrets: nothing read from the journal shows them
    Object event =
        e.event() instanceof AccessEvent access
            ? access.redacted()
            : e.event() instanceof AgentEvent.AgentRegistered registered
                ? registered.shown()
                : e.event();
    return new FeedEvent(
        offset,
        kind,
        id,
        e.sequenceNr(),
        event.getClass().getSimpleName(),
        Instant.ofEpochMilli(e.timestamp()),
        event);
  }
}
