package io.agenthive.persistence;

import akka.NotUsed;
import akka.persistence.PersistentRepr;
import akka.persistence.jdbc.AkkaSerialization;
import akka.persistence.jdbc.config.EventJournalTableColumnNames;
import akka.persistence.jdbc.config.ReadJournalConfig;
import akka.persistence.jdbc.journal.dao.JournalTables.JournalAkkaSerializationRow;
import akka.persistence.jdbc.query.dao.DefaultReadJournalDao;
import akka.serialization.Serialization;
import akka.stream.Materializer;
import akka.stream.scaladsl.Source;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import scala.Option;
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
    EventJournalTableColumnNames c = config.eventJournalTableConfiguration().columnNames();
    var journal = config.eventJournalTableConfiguration();
    var tags = config.eventTagTableConfiguration();
    String j = table(journal.schemaName(), journal.tableName());
    String t = table(tags.schemaName(), tags.tableName());
    String eventId = "t." + q(tags.columnNames().eventId());
    this.pageByTag =
        "SELECT j."
            + q(c.ordering())
            + ", j."
            + q(c.deleted())
            + ", j."
            + q(c.persistenceId())
            + ", j."
            + q(c.sequenceNumber())
            + ", j."
            + q(c.writer())
            + ", j."
            + q(c.writeTimestamp())
            + ", j."
            + q(c.adapterManifest())
            + ", j."
            + q(c.eventPayload())
            + ", j."
            + q(c.eventSerId())
            + ", j."
            + q(c.eventSerManifest())
            + ", j."
            + q(c.metaPayload())
            + ", j."
            + q(c.metaSerId())
            + ", j."
            + q(c.metaSerManifest())
            + " FROM "
            + t
            + " t JOIN "
            + j
            + " j ON j."
            + q(c.ordering())
            + " = "
            + eventId
            + " WHERE t."
            + q(tags.columnNames().tag())
            + " = ? AND "
            + eventId
            + " > ? AND "
            + eventId
            + " <= ? AND j."
            + q(c.ordering())
            + " > ? AND j."
            + q(c.ordering())
            + " <= ? AND j."
            + q(c.deleted())
            + " = FALSE ORDER BY "
            + eventId
            + " LIMIT ?";
  }

  private static String q(String name) {
    return "\"" + name + "\"";
  }

  private static String table(Option<String> schema, String name) {
    return schema.isDefined() ? q(schema.get()) + "." + q(name) : q(name);
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
              Try<Tuple2<PersistentRepr, Object>> read =
                  AkkaSerialization.fromRow(serialization, row);
              // like the default DAO: the tags are not read back, nothing uses them
              return read.map(r -> new Tuple3<>(r._1(), noTags, r._2()));
            })
        .asScala();
  }

  private List<JournalAkkaSerializationRow> read(
      Connection c, String tag, long offset, long maxOffset, long max) throws SQLException {
    List<JournalAkkaSerializationRow> out = new ArrayList<>();
    try (PreparedStatement st = c.prepareStatement(pageByTag)) {
      st.setString(1, tag);
      st.setLong(2, offset);
      st.setLong(3, maxOffset);
      st.setLong(4, offset);
      st.setLong(5, maxOffset);
      st.setLong(6, Math.min(max, Integer.MAX_VALUE));
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          byte[] meta = rs.getBytes(11);
          int metaSerId = rs.getInt(12);
          boolean hasMeta = !rs.wasNull() && meta != null;
          out.add(
              new JournalAkkaSerializationRow(
                  rs.getLong(1),
                  rs.getBoolean(2),
                  rs.getString(3),
                  rs.getLong(4),
                  rs.getString(5),
                  rs.getLong(6),
                  rs.getString(7),
                  rs.getBytes(8),
                  rs.getInt(9),
                  rs.getString(10),
                  hasMeta ? Option.apply(meta) : Option.empty(),
                  hasMeta ? Option.apply(metaSerId) : Option.empty(),
                  hasMeta ? Option.apply(rs.getString(13)) : Option.empty()));
        }
      }
    }
    return out;
  }

  /** Scala's {@code run} takes an action of any effect; Java's generics cannot say so. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private <R> Future<R> run(SimpleJdbcAction<R> action) {
    return (Future<R>) database.run((DBIOAction) action);
  }
}
