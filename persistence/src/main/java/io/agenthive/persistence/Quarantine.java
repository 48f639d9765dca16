package io.agenthive.persistence;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import akka.persistence.PersistentRepr;
import akka.persistence.jdbc.AkkaSerialization;
import akka.persistence.jdbc.journal.dao.JournalTables.JournalAkkaSerializationRow;
import akka.serialization.Serialization;
import io.agenthive.metrics.HiveMetrics;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;
import scala.util.Success;
import scala.util.Try;

/**
 * Where every reader of the journal turns a row it cannot deserialize (a damaged payload, a class
 * that no longer exists) into a stand-in ({@link StandIns}) instead of failing: the row is logged
 * once per node with its persistence id, sequence number and offset, counted ({@code
 * hive_events_unreadable_total}), and recorded in {@code hive_quarantine}, which {@code GET
 * /api/admin/quarantine} lists. One bad row then costs one entity, never the node. An Akka
 * extension, so the plugin's DAOs (made by the plugin, with the actor system at hand) find it.
 */
public final class Quarantine implements Extension {
  private static final Logger log = LoggerFactory.getLogger(Quarantine.class);

  /** Rows remembered as seen on this node; past it a row may be logged and counted again. */
  private static final int REMEMBERED = 10_000;

  /** One quarantined row. */
  public record Entry(
      String persistenceId,
      long sequenceNr,
      long offset,
      String manifest,
      String reason,
      Instant firstSeen) {}

  private final HiveMetrics metrics;
  private final QuarantineTable table;
  private final Executor blocking;
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private final AtomicLong skipped = new AtomicLong();

  private Quarantine(ActorSystem<?> system) {
    this.metrics = HiveMetrics.get(system);
    this.table = new QuarantineTable(DatabaseSettings.from(system.settings().config()));
    this.blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
  }

  public static Quarantine get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  /**
   * The row as the plugin's DAOs return it, or, when it cannot be deserialized, a stand-in: the
   * entity's own for a {@code recovery} (a failure when its kind has none), else the reader's.
   */
  public Try<Tuple2<PersistentRepr, Object>> read(
      Serialization serialization, JournalAkkaSerializationRow row, boolean recovery) {
    Try<Tuple2<PersistentRepr, Object>> read =
        AkkaSerialization.fromRow(serialization, row).map(r -> new Tuple2<>(r._1(), r._2()));
    if (read.isSuccess()) {
      return read;
    }
    Throwable error = read.failed().get();
    String why = error.getClass().getSimpleName() + ": " + firstLine(error.getMessage());
    report(row, why);
    Instant at = Instant.ofEpochMilli(row.writeTimestamp());
    Object standIn =
        recovery
            ? StandIns.forEntity(row.persistenceId(), row.sequenceNumber(), at, why)
            : StandIns.forReader(
                row.persistenceId(), row.sequenceNumber(), row.ordering(), at, why);
    if (standIn == null) {
      return read;
    }
    PersistentRepr repr =
        PersistentRepr.apply(
                standIn,
                row.sequenceNumber(),
                row.persistenceId(),
                row.adapterManifest(),
                row.deleted(),
                null,
                row.writer())
            .withTimestamp(row.writeTimestamp());
    return new Success<>(new Tuple2<>(repr, row.ordering()));
  }

  /**
   * For readers that select the journal's columns themselves (the matcher's backlog): the event, or
   * the reader's stand-in.
   */
  public Object event(
      Serialization serialization,
      String persistenceId,
      long sequenceNr,
      long ordering,
      long writeTimestamp,
      byte[] payload,
      int serId,
      String manifest) {
    JournalAkkaSerializationRow row =
        new JournalAkkaSerializationRow(
            ordering,
            false,
            persistenceId,
            sequenceNr,
            "",
            writeTimestamp,
            "",
            payload,
            serId,
            manifest,
            scala.Option.empty(),
            scala.Option.empty(),
            scala.Option.empty());
    return read(serialization, row, false).get()._1().payload();
  }

  /** Rows this node skipped since it started (each counted once). */
  public long skippedHere() {
    return skipped.get();
  }

  /** The quarantined rows, oldest offset first. */
  public CompletionStage<List<Entry>> list(int limit) {
    return CompletableFuture.supplyAsync(() -> table.list(limit), blocking);
  }

  private void report(JournalAkkaSerializationRow row, String why) {
    String key = row.persistenceId() + "#" + row.sequenceNumber();
    if (seen.size() >= REMEMBERED) {
      seen.clear();
    }
    if (!seen.add(key)) {
      return;
    }
    skipped.incrementAndGet();
    metrics.eventUnreadable(StandIns.kind(row.persistenceId()));
    log.error(
        "Journal event [{}] seq [{}] at offset [{}] ({}) cannot be read and is skipped: {}",
        row.persistenceId(),
        row.sequenceNumber(),
        row.ordering(),
        row.eventSerManifest(),
        why);
    Entry entry =
        new Entry(
            row.persistenceId(),
            row.sequenceNumber(),
            row.ordering(),
            row.eventSerManifest(),
            why,
            Instant.now());
    CompletableFuture.runAsync(() -> table.record(entry), blocking)
        .whenComplete(
            (done, error) -> {
              if (error != null) {
                log.warn("Could not record quarantined event [{}] in the table", key, error);
              }
            });
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    String line = message.lines().findFirst().orElse("");
    return line.length() <= 500 ? line : line.substring(0, 500) + "…";
  }

  private static final class Id extends ExtensionId<Quarantine> {
    static final Id INSTANCE = new Id();

    @Override
    public Quarantine createExtension(ActorSystem<?> system) {
      return new Quarantine(system);
    }
  }
}
