package io.agenthive.bench;

import akka.NotUsed;
import akka.actor.Scheduler;
import akka.persistence.AtomicWrite;
import akka.persistence.PersistentRepr;
import akka.persistence.jdbc.config.JournalConfig;
import akka.persistence.jdbc.journal.dao.JournalDao;
import akka.serialization.Serialization;
import akka.stream.Materializer;
import akka.stream.scaladsl.Source;
import io.agenthive.persistence.BatchingJournalDao;
import scala.Option;
import scala.Tuple2;
import scala.collection.immutable.Seq;
import scala.concurrent.ExecutionContext;
import scala.concurrent.Future;
import scala.concurrent.duration.FiniteDuration;
import scala.runtime.BoxedUnit;
import scala.util.Try;
import slick.jdbc.JdbcBackend;
import slick.jdbc.JdbcProfile;

/**
 * A measuring device of the journal ceiling, never the hub's: the hub's own journal DAO for writes,
 * but every recovery answered "nothing stored" without a query, as if the journal knew that each id
 * it is asked about is new. It shows the most that skipping a new task's recovery could save; only
 * {@link JournalPluginCeiling.Shape#FRESH_IDS_SKIPPED} installs it, on a journal of fresh ids.
 */
public final class FreshIdJournalDao implements JournalDao {
  private final BatchingJournalDao writes;

  public FreshIdJournalDao(
      JdbcBackend.DatabaseDef db,
      JdbcProfile profile,
      JournalConfig journalConfig,
      Serialization serialization,
      ExecutionContext ec,
      Materializer mat) {
    this.writes = new BatchingJournalDao(db, profile, journalConfig, serialization, ec, mat);
  }

  @Override
  public Future<Seq<Try<BoxedUnit>>> asyncWriteMessages(Seq<AtomicWrite> messages) {
    return writes.asyncWriteMessages(messages);
  }

  @Override
  public Future<BoxedUnit> delete(String persistenceId, long toSequenceNr) {
    return writes.delete(persistenceId, toSequenceNr);
  }

  @Override
  public Future<Object> highestSequenceNr(String persistenceId, long fromSequenceNr) {
    return Future.<Object>successful(0L);
  }

  @Override
  public Source<Try<Tuple2<PersistentRepr, Object>>, NotUsed> messages(
      String persistenceId, long fromSequenceNr, long toSequenceNr, long max) {
    return Source.empty();
  }

  @Override
  public Source<Try<Tuple2<PersistentRepr, Object>>, NotUsed> messagesWithBatch(
      String persistenceId,
      long fromSequenceNr,
      long toSequenceNr,
      int batchSize,
      Option<Tuple2<FiniteDuration, Scheduler>> refreshInterval) {
    return Source.empty();
  }
}
