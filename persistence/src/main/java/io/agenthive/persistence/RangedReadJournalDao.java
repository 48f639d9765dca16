package io.agenthive.persistence;

import akka.NotUsed;
import akka.actor.typed.javadsl.Adapter;
import akka.persistence.PersistentRepr;
import akka.persistence.jdbc.config.EventJournalTableColumnNames;
import akka.persistence.jdbc.config.ReadJournalConfig;
import akka.persistence.jdbc.journal.dao.JournalTables.JournalAkkaSerializationRow;
import akka.persistence.jdbc.query.dao.DefaultReadJournalDao;
import akka.serialization.Serialization;
import akka.stream.Materializer;
import akka.stream.scaladsl.Source;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import scala.Tuple2;
import scala.Tuple3;
import scala.collection.immutable.Set;
import scala.concurrent.ExecutionContext;
import scala.concurrent.Future;
import scala.jdk.javaapi.FutureConverters;
import scala.util.Try;
import slick.dbio.DBIOAction;
import slick.jdbc.JdbcBackend;
import slick.jdbc.JdbcProfile;
import slick.jdbc.SimpleJdbcAction;

/**
 * akka-persistence-jdbc's default read journal DAO, except for one page of events by tag: the
 * default query bounds the journal's ordering only, and H2 then reads the whole tag table for every
 * page (its plan starts there), so following a journal of a million events read a million rows per
 * page. This one bounds the tag table's {@code event_id} as well, so either table is read as a
 * range of its index; with {@code events-by-tag-buffer-sizes-per-query = 1} the range is one page
 * wide, so the sort before the limit is small too. Same rows, same order, same page size.
 * Configured as {@code jdbc-read-journal.dao}.
 */
public final class RangedReadJournalDao extends DefaultReadJournalDao {
  private final JdbcBackend.DatabaseDef database;
  private final Serialization serialization;
  private final String pageByTag;
  private final Quarantine quarantine;
  private final JournalRows rows;

  public RangedReadJournalDao(
      JdbcBackend.DatabaseDef db,
      JdbcProfile profile,
      ReadJournalConfig config,
      Serialization serialization,
      ExecutionContext ec,
      Materializer mat) {
    super(db, profile, config, serialization, ec, mat);
    this.database = db;
    this.serialization = serialization;
    this.quarantine = Quarantine.get(Adapter.toTyped(serialization.system()));
    this.rows = new JournalRows(config.eventJournalTableConfiguration());
    EventJournalTableColumnNames c = config.eventJournalTableConfiguration().columnNames();
    var journal = config.eventJournalTableConfiguration();
    var tags = config.eventTagTableConfiguration();
    String j = JournalRows.table(journal.schemaName(), journal.tableName());
    String t = JournalRows.table(tags.schemaName(), tags.tableName());
    String eventId = "t." + JournalRows.q(tags.columnNames().eventId());
    String ordering = "j." + JournalRows.q(c.ordering());
    this.pageByTag =
        "SELECT "
            + rows.columns()
            + " FROM "
            + t
            + " t JOIN "
            + j
            + " j ON "
            + ordering
            + " = "
            + eventId
            + " WHERE t."
            + JournalRows.q(tags.columnNames().tag())
            + " = ? AND "
            + eventId
            + " > ? AND "
            + eventId
            + " <= ? AND "
            + ordering
            + " > ? AND "
            + ordering
            + " <= ? AND j."
            + JournalRows.q(c.deleted())
            + " = FALSE ORDER BY "
            + eventId
            + " LIMIT ?";
  }

  @Override
  public Source<Try<Tuple3<PersistentRepr, Set<String>, Object>>, NotUsed> eventsByTag(
      String tag, long offset, long maxOffset, long max) {
    SimpleJdbcAction<List<JournalAkkaSerializationRow>> page =
        new SimpleJdbcAction<>(
            ctx -> {
              try {
                return read(ctx.connection(), tag, offset, maxOffset, max);
              } catch (SQLException e) {
                throw new IllegalStateException("reading events tagged " + tag + " failed", e);
              }
            });
    Future<List<JournalAkkaSerializationRow>> rows = run(page);
    Set<String> noTags = scala.collection.immutable.Set$.MODULE$.empty();
    return akka.stream.javadsl.Source.completionStage(FutureConverters.asJava(rows))
        .mapConcat(list -> list)
        .map(
            row -> {
              Try<Tuple2<PersistentRepr, Object>> read = quarantine.read(serialization, row, false);
              // like the default DAO: the tags are not read back, nothing uses them
              return read.map(r -> new Tuple3<>(r._1(), noTags, r._2()));
            })
        .asScala();
  }

  private List<JournalAkkaSerializationRow> read(
      Connection c, String tag, long offset, long maxOffset, long max) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(pageByTag)) {
      st.setString(1, tag);
      st.setLong(2, offset);
      st.setLong(3, maxOffset);
      st.setLong(4, offset);
      st.setLong(5, maxOffset);
      st.setLong(6, Math.min(max, Integer.MAX_VALUE));
      return JournalRows.all(st);
    }
  }

  /**
   * One entity's events (history, the event feed by entity): read like the default DAO, with an
   * event that cannot be read quarantined and passed on as its stand-in.
   */
  @Override
  public Source<Try<Tuple2<PersistentRepr, Object>>, NotUsed> messages(
      String persistenceId, long fromSequenceNr, long toSequenceNr, long max) {
    SimpleJdbcAction<List<JournalAkkaSerializationRow>> page =
        new SimpleJdbcAction<>(
            ctx -> {
              try {
                return rows.ofEntity(
                    ctx.connection(), persistenceId, fromSequenceNr, toSequenceNr, max);
              } catch (SQLException e) {
                throw new IllegalStateException(
                    "reading events of " + persistenceId + " failed", e);
              }
            });
    return akka.stream.javadsl.Source.completionStage(FutureConverters.asJava(run(page)))
        .mapConcat(list -> list)
        .map(row -> quarantine.read(serialization, row, false))
        .asScala();
  }

  /** Scala's {@code run} takes an action of any effect; Java's generics cannot say so. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private <R> Future<R> run(SimpleJdbcAction<R> action) {
    return (Future<R>) database.run((DBIOAction) action);
  }
}
