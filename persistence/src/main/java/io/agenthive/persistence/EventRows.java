package io.agenthive.persistence;

import akka.persistence.AtomicWrite;
import akka.persistence.PersistentRepr;
import akka.persistence.jdbc.AkkaSerialization;
import akka.persistence.jdbc.journal.dao.JournalTables.JournalAkkaSerializationRow;
import akka.persistence.journal.Tagged;
import akka.serialization.Serialization;
import java.util.ArrayList;
import java.util.List;
import scala.Option;
import scala.Tuple2;
import scala.collection.immutable.Set;
import scala.jdk.javaapi.CollectionConverters;

/**
 * One atomic write's events as journal rows, as the plugin's default DAO makes them, with one check
 * more: an event serialized larger than {@code hive.limits.max-event} is refused before it is
 * written, so the journal never holds an event the hub cannot read back (the write is rejected, and
 * its entity's supervision takes over). The limits on outputs, inputs and configs keep events far
 * below it: this is the net under them.
 */
final class EventRows {
  /** An event too large to journal. */
  static final class EventTooLarge extends IllegalArgumentException {
    EventTooLarge(PersistentRepr pr, int size, long limit) {
      super(
          "event "
              + pr.sequenceNr()
              + " of "
              + pr.persistenceId()
              + " is "
              + size
              + " bytes serialized, more than hive.limits.max-event ("
              + limit
              + "): not journaled");
    }
  }

  private EventRows() {}

  static List<Tuple2<JournalAkkaSerializationRow, Set<String>>> of(
      Serialization serialization, AtomicWrite write, long maxEventBytes) {
    List<Tuple2<JournalAkkaSerializationRow, Set<String>>> rows = new ArrayList<>();
    for (PersistentRepr pr : CollectionConverters.asJava(write.payload())) {
      Object payload = pr.payload();
      Set<String> tags = scala.collection.immutable.Set$.MODULE$.empty();
      if (payload instanceof Tagged tagged) {
        payload = tagged.payload();
        tags = tagged.tags();
      }
      AkkaSerialization.AkkaSerialized event =
          AkkaSerialization.serialize(serialization, payload).get();
      if (event.payload().length > maxEventBytes) {
        throw new EventTooLarge(pr, event.payload().length, maxEventBytes);
      }
      Option<AkkaSerialization.AkkaSerialized> meta =
          pr.metadata().isDefined()
              ? AkkaSerialization.serialize(serialization, pr.metadata().get()).toOption()
              : Option.empty();
      rows.add(
          new Tuple2<>(
              new JournalAkkaSerializationRow(
                  Long.MIN_VALUE,
                  pr.deleted(),
                  pr.persistenceId(),
                  pr.sequenceNr(),
                  pr.writerUuid(),
                  pr.timestamp(),
                  pr.manifest(),
                  event.payload(),
                  event.serId(),
                  event.serManifest(),
                  meta.map(AkkaSerialization.AkkaSerialized::payload),
                  meta.map(m -> (Object) m.serId()),
                  meta.map(AkkaSerialization.AkkaSerialized::serManifest)),
              tags));
    }
    return rows;
  }
}
