package io.agenthive.persistence;

import akka.NotUsed;
import akka.actor.typed.javadsl.Adapter;
import akka.persistence.AtomicWrite;
import akka.persistence.PersistentRepr;
import akka.persistence.jdbc.config.EventJournalTableColumnNames;
import akka.persistence.jdbc.config.JournalConfig;
import akka.persistence.jdbc.journal.dao.DefaultJournalDao;
import akka.persistence.jdbc.journal.dao.JournalTables.JournalAkkaSerializationRow;
import akka.serialization.Serialization;
import akka.stream.Materializer;
import akka.stream.scaladsl.Source;
import io.agenthive.metrics.HiveMetrics;
import io.agenthive.persistence.audit.ChainedEvent;
import io.agenthive.persistence.audit.EventChain;
import io.agenthive.persistence.audit.Tombstones;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import scala.Tuple2;
import scala.concurrent.ExecutionContext;
import scala.concurrent.Future;
import scala.jdk.javaapi.CollectionConverters;
import scala.jdk.javaapi.FutureConverters;
import scala.runtime.BoxedUnit;
import scala.util.Failure;
import scala.util.Success;
import scala.util.Try;
import slick.dbio.DBIOAction;
import slick.jdbc.JdbcBackend;
import slick.jdbc.JdbcProfile;
import slick.jdbc.SimpleJdbcAction;

/**
 * akka-persistence-jdbc's default journal DAO, writing each batch of events with two JDBC batches
 * (the events, then their tags) instead of one statement and one round trip per event. The plugin
 * already collects concurrent writes into batches (up to {@code jdbc-journal.batchSize} rows); its
 * default write then inserts them one at a time to learn each row's generated {@code ordering},
 * which capped the hub at ~550 (H2) and ~1 800 (PostgreSQL) tagged events/s on two cores. The same
 * rows, the same transaction, the same tags: only the statements differ. Reads, recovery and
 * deletes are the default DAO's. Configured as {@code jdbc-journal.dao}.
 *
 * <p>Each event's hash, chained to its entity's previous event ({@link EventChain}), is written in
 * the event's own row ({@code hive_hash}), and the hashes of rows Akka deletes are kept first
 * ({@link Tombstones}): the journal's tamper evidence.
 */
public final class BatchingJournalDao extends DefaultJournalDao {
  private final JdbcBackend.DatabaseDef database;
  private final String insertEvent;
  private final String insertTag;
  private final String orderingColumn;
  private final HiveMetrics metrics;
  private final Serialization serialization;
  private final Quarantine quarantine;
  private final JournalRows rows;
  private final long maxEventBytes;
  private final EventChain chain;
  private final Tombstones tombstones;

  public BatchingJournalDao(
      JdbcBackend.DatabaseDef db,
      JdbcProfile profile,
      JournalConfig journalConfig,
      Serialization serialization,
      ExecutionContext ec,
      Materializer mat) {
    super(db, profile, journalConfig, serialization, ec, mat);
    this.database = db;
    this.metrics = HiveMetrics.get(Adapter.toTyped(serialization.system()));
    this.serialization = serialization;
    this.quarantine = Quarantine.get(Adapter.toTyped(serialization.system()));
    this.rows = new JournalRows(journalConfig.eventJournalTableConfiguration());
    this.maxEventBytes =
        serialization.system().settings().config().getBytes("hive.limits.max-event");
    EventJournalTableColumnNames c = journalConfig.eventJournalTableConfiguration().columnNames();
    this.orderingColumn = c.ordering();
    String journal =
        table(
            journalConfig.eventJournalTableConfiguration().schemaName(),
            journalConfig.eventJournalTableConfiguration().tableName());
    this.insertEvent =
        "INSERT INTO "
            + journal
            + " ("
            + String.join(
                ", ",
                q(c.deleted()),
                q(c.persistenceId()),
                q(c.sequenceNumber()),
                q(c.writer()),
                q(c.writeTimestamp()),
                q(c.adapterManifest()),
                q(c.eventPayload()),
                q(c.eventSerId()),
                q(c.eventSerManifest()),
                q(c.metaPayload()),
                q(c.metaSerId()),
                q(c.metaSerManifest()),
                q(Tombstones.HASH_COLUMN))
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    String pid = q(c.persistenceId());
    String seq = q(c.sequenceNumber());
    this.chain =
        new EventChain(
            "SELECT "
                + q(Tombstones.HASH_COLUMN)
                + " FROM "
                + journal
                + " WHERE "
                + pid
                + " = ? AND "
                + seq
                + " = ? UNION ALL SELECT hash FROM hive_event_tombstone WHERE persistence_id = ?"
                + " AND sequence_number = ?");
    this.tombstones = new Tombstones(journal, pid, seq, q(c.ordering()));
    var tags = journalConfig.eventTagTableConfiguration();
    this.insertTag =
        "INSERT INTO "
            + table(tags.schemaName(), tags.tableName())
            + " ("
            + q(tags.columnNames().eventId())
            + ", "
            + q(tags.columnNames().tag())
            + ") VALUES (?, ?)";
  }

  private static String q(String name) {
    return JournalRows.q(name);
  }

  private static String table(scala.Option<String> schema, String name) {
    return JournalRows.table(schema, name);
  }

  /**
   * The default DAO's write, with each event's serialized size checked first ({@link EventRows}):
   * an atomic write holding a too-large event is rejected alone, the others of the batch go on.
   */
  @Override
  public Future<scala.collection.immutable.Seq<Try<BoxedUnit>>> asyncWriteMessages(
      scala.collection.immutable.Seq<AtomicWrite> messages) {
    List<Tuple2<JournalAkkaSerializationRow, scala.collection.immutable.Set<String>>> serialized =
        new ArrayList<>();
    List<Try<BoxedUnit>> results = new ArrayList<>();
    boolean allWritten = true;
    for (AtomicWrite write : CollectionConverters.asJava(messages)) {
      try {
        serialized.addAll(EventRows.of(serialization, write, maxEventBytes));
        results.add(new Success<>(BoxedUnit.UNIT));
      } catch (RuntimeException refused) {
        // like the default DAO: a write that cannot be serialized is rejected, not failed
        results.add(new Failure<>(refused));
        allWritten = false;
      }
    }
    scala.collection.immutable.Seq<Try<BoxedUnit>> outcome =
        allWritten
            ? scala.collection.immutable.List$.MODULE$.<Try<BoxedUnit>>empty()
            : CollectionConverters.asScala(results).toList();
    if (serialized.isEmpty()) {
      return Future.successful(outcome);
    }
    return queueWriteJournalRows(CollectionConverters.asScala(serialized).toList())
        .map(written -> outcome, ec());
  }

  /**
   * An entity's events for its recovery: the default DAO's rows, except that an event which cannot
   * be deserialized is quarantined and replayed as its entity's stand-in, so one damaged row fails
   * that entity's state instead of its recovery, again and again.
   */
  @Override
  public Source<Try<Tuple2<PersistentRepr, Object>>, NotUsed> messages(
      String persistenceId, long fromSequenceNr, long toSequenceNr, long max) {
    SimpleJdbcAction<List<JournalAkkaSerializationRow>> read =
        new SimpleJdbcAction<>(
            ctx -> {
              try {
                return rows.ofEntity(
                    ctx.connection(), persistenceId, fromSequenceNr, toSequenceNr, max);
              } catch (SQLException e) {
                throw new IllegalStateException("replaying " + persistenceId + " failed", e);
              }
            });
    return akka.stream.javadsl.Source.completionStage(FutureConverters.asJava(run(read)))
        .mapConcat(list -> list)
        .map(row -> quarantine.read(serialization, row, true))
        .asScala();
  }

  /**
   * The default DAO's delete (Akka's own, e.g. the sharding's remember-entities store after a
   * snapshot), after the hashes of the rows it will remove or mark are kept as tombstones: the
   * chains and checkpoints over them still verify.
   */
  @Override
  public Future<BoxedUnit> delete(String persistenceId, long maxSequenceNr) {
    SimpleJdbcAction<BoxedUnit> keep =
        new SimpleJdbcAction<>(
            ctx -> {
              try {
                tombstones.keep(ctx.connection(), persistenceId, maxSequenceNr);
              } catch (SQLException e) {
                throw new IllegalStateException(
                    "keeping the hashes of " + persistenceId + "'s deleted events failed", e);
              }
              return BoxedUnit.UNIT;
            });
    return FutureConverters.asScala(
        FutureConverters.asJava(run(keep))
            .thenCompose(
                kept ->
                    FutureConverters.asJava(
                        BatchingJournalDao.super.delete(persistenceId, maxSequenceNr))));
  }

  @Override
  public Future<BoxedUnit> writeJournalRows(
      scala.collection.immutable.Seq<
              Tuple2<JournalAkkaSerializationRow, scala.collection.immutable.Set<String>>>
          xs) {
    List<Tuple2<JournalAkkaSerializationRow, scala.collection.immutable.Set<String>>> rows =
        CollectionConverters.asJava(xs);
    SimpleJdbcAction<BoxedUnit> write =
        new SimpleJdbcAction<>(
            ctx -> {
              try {
                write(ctx.connection(), rows);
              } catch (SQLException e) {
                throw new IllegalStateException(
                    "writing " + rows.size() + " journal rows failed", e);
              }
              return BoxedUnit.UNIT;
            });
    return run(write);
  }

  /**
   * Scala's {@code run} takes an action of any effect (its effect type is contravariant), which
   * Java's generics cannot express: hence the raw type.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private <R> Future<R> run(SimpleJdbcAction<R> action) {
    return (Future<R>) database.run((DBIOAction) action);
  }

  private void write(
      Connection c,
      List<Tuple2<JournalAkkaSerializationRow, scala.collection.immutable.Set<String>>> rows)
      throws SQLException {
    long startNanos = System.nanoTime();
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      EventChain.Linked linked = chain.link(c, chained(rows));
      long[] orderings = insertEvents(c, rows, linked);
      insertTags(c, rows, orderings);
      c.commit();
      linked.committed();
      metrics.journalWrite((System.nanoTime() - startNanos) / 1e9);
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(autoCommit);
    }
  }

  private static List<ChainedEvent> chained(
      List<Tuple2<JournalAkkaSerializationRow, scala.collection.immutable.Set<String>>> rows) {
    List<ChainedEvent> events = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      JournalAkkaSerializationRow r = rows.get(i)._1();
      events.add(
          new ChainedEvent(
              r.persistenceId(),
              r.sequenceNumber(),
              0, // the hash does not cover the ordering: the database gives it on insert
              r.writeTimestamp(),
              r.eventSerId(),
              r.eventSerManifest(),
              r.eventPayload()));
    }
    return events;
  }

  private long[] insertEvents(
      Connection c,
      List<Tuple2<JournalAkkaSerializationRow, scala.collection.immutable.Set<String>>> rows,
      EventChain.Linked linked)
      throws SQLException {
    try (PreparedStatement st = c.prepareStatement(insertEvent, new String[] {orderingColumn})) {
      for (int i = 0; i < rows.size(); i++) {
        JournalAkkaSerializationRow r = rows.get(i)._1();
        st.setBoolean(1, r.deleted());
        st.setString(2, r.persistenceId());
        st.setLong(3, r.sequenceNumber());
        st.setString(4, r.writer());
        st.setLong(5, r.writeTimestamp());
        st.setString(6, r.adapterManifest());
        st.setBytes(7, r.eventPayload());
        st.setInt(8, r.eventSerId());
        st.setString(9, r.eventSerManifest());
        if (r.metaPayload().isDefined()) {
          st.setBytes(10, r.metaPayload().get());
          st.setInt(11, (Integer) r.metaSerId().get());
          st.setString(12, r.metaSerManifest().get());
        } else {
          st.setNull(10, Types.VARBINARY);
          st.setNull(11, Types.INTEGER);
          st.setNull(12, Types.VARCHAR);
        }
        st.setBytes(13, linked.hash(i));
        st.addBatch();
      }
      st.executeBatch();
      long[] orderings = new long[rows.size()];
      try (ResultSet keys = st.getGeneratedKeys()) {
        int i = 0;
        while (keys.next() && i < orderings.length) {
          orderings[i++] = keys.getLong(1);
        }
        if (i != orderings.length) {
          throw new SQLException(
              "the database returned "
                  + i
                  + " orderings for "
                  + orderings.length
                  + " journal rows");
        }
      }
      return orderings;
    }
  }

  private void insertTags(
      Connection c,
      List<Tuple2<JournalAkkaSerializationRow, scala.collection.immutable.Set<String>>> rows,
      long[] orderings)
      throws SQLException {
    List<Object[]> tags = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      for (String tag : CollectionConverters.asJava(rows.get(i)._2())) {
        tags.add(new Object[] {orderings[i], tag});
      }
    }
    if (tags.isEmpty()) {
      return;
    }
    try (PreparedStatement st = c.prepareStatement(insertTag)) {
      for (Object[] t : tags) {
        st.setLong(1, (Long) t[0]);
        st.setString(2, (String) t[1]);
        st.addBatch();
      }
      st.executeBatch();
    }
  }
}
