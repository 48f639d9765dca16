package io.agenthive.persistence.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Walks the journal and names every broken link. Three passes, each one streamed query:
 *
 * <ol>
 *   <li>every entity's events in sequence order, with their hash rows: a sequence number missing (a
 *       deleted row), a row without a hash (inserted around the hub), a row whose hash does not
 *       match its fields (edited, or swapped with another), a row at another ordering than it was
 *       written at (moved);
 *   <li>hash rows whose event is gone (a deleted row whose hash was left);
 *   <li>every checkpoint: its signature, that the checkpoints follow each other without a gap, and
 *       that the events in its range still give its count and Merkle root (this is what catches an
 *       entity's newest event deleted together with its hash, or a whole forged chain).
 * </ol>
 *
 * Memory is bounded: one entity's newest hash, one Merkle stack, the first {@link #LISTED} breaks.
 */
public final class JournalVerifier {
  static final int LISTED = 100;
  private static final long PROGRESS_EVERY = 10_000;
  private static final String BY_ENTITY =
      "SELECT j.\"ordering\", j.\"persistence_id\", j.\"sequence_number\", j.\"write_timestamp\","
          + " j.\"event_ser_id\", j.\"event_ser_manifest\", j.\"event_payload\", h.ordering, h.hash"
          + " FROM \"event_journal\" j LEFT JOIN hive_event_hash h"
          + " ON h.persistence_id = j.\"persistence_id\""
          + " AND h.sequence_number = j.\"sequence_number\""
          + " ORDER BY j.\"persistence_id\", j.\"sequence_number\"";
  private static final String ORPHANS =
      "SELECT h.persistence_id, h.sequence_number, h.ordering FROM hive_event_hash h"
          + " LEFT JOIN \"event_journal\" j ON j.\"persistence_id\" = h.persistence_id"
          + " AND j.\"sequence_number\" = h.sequence_number WHERE j.\"persistence_id\" IS NULL";

  /** One broken link: what is wrong, where (entity, sequence number, journal offset). */
  public record Break(
      String kind, String persistenceId, long sequenceNr, long offset, String detail) {}

  /** What a walk found. */
  public record Report(
      long events,
      long unchainedEvents,
      long checkpoints,
      Checkpoint newestCheckpoint,
      long breakCount,
      List<Break> breaks) {
    public boolean intact() {
      return breakCount == 0;
    }
  }

  private final JournalSigner signer;
  private final List<Break> breaks = new ArrayList<>();
  private long breakCount;

  /** {@code signer} checks the checkpoints' signatures (the hub's key). */
  public JournalVerifier(JournalSigner signer) {
    this.signer = signer;
  }

  /**
   * The walk, on {@code c} (set to not auto-commit, so that PostgreSQL streams); {@code progress}
   * hears the count of events checked every 10,000. Blocking.
   */
  public Report verify(Connection c, LongConsumer progress) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      long origin = Checkpoints.origin(c);
      long[] counts = entities(c, origin, progress);
      orphans(c);
      long[] checkpoints = new long[1];
      Checkpoint[] newest = new Checkpoint[1];
      checkpoints(c, origin, checkpoints, newest);
      breaks.sort(Comparator.comparingLong(Break::offset));
      return new Report(
          counts[0], counts[1], checkpoints[0], newest[0], breakCount, List.copyOf(breaks));
    } finally {
      c.rollback();
      c.setAutoCommit(autoCommit);
    }
  }

  private long[] entities(Connection c, long origin, LongConsumer progress) throws SQLException {
    long events = 0;
    long unchained = 0;
    String entity = null;
    long lastSeq = 0;
    byte[] previous = EventHash.GENESIS;
    try (PreparedStatement st = c.prepareStatement(BY_ENTITY)) {
      st.setFetchSize(Checkpoints.FETCH);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          long offset = rs.getLong(1);
          ChainedEvent e =
              new ChainedEvent(
                  rs.getString(2),
                  rs.getLong(3),
                  offset,
                  rs.getLong(4),
                  rs.getInt(5),
                  rs.getString(6),
                  rs.getBytes(7));
          long hashedAt = rs.getLong(8);
          byte[] stored = rs.getBytes(9);
          if (!e.persistenceId().equals(entity)) {
            entity = e.persistenceId();
            lastSeq = 0;
            previous = EventHash.GENESIS;
          }
          if (e.sequenceNr() != lastSeq + 1) {
            found(
                "missing",
                e,
                "events "
                    + (lastSeq + 1)
                    + ".."
                    + (e.sequenceNr() - 1)
                    + " of this entity are missing before this one: rows were deleted");
            previous = EventHash.GENESIS;
          }
          lastSeq = e.sequenceNr();
          if (++events % PROGRESS_EVERY == 0) {
            progress.accept(events);
          }
          if (stored == null) {
            if (offset <= origin) {
              unchained++;
            } else {
              found("unhashed", e, "has no hash: the row was written around the hub");
            }
            previous = EventHash.GENESIS; // as the writer does for an event it finds no hash for
            continue;
          }
          if (!Arrays.equals(EventHash.of(previous, e), stored)) {
            found(
                "altered",
                e,
                "does not match its hash: the row was changed after it was written (an edited"
                    + " field, or rows swapped)");
          }
          if (hashedAt != offset) {
            found("moved", e, "was written at offset " + hashedAt + " and is now at " + offset);
          }
          previous =
              stored; // the stored hash: one altered row is reported once, not its successors
        }
      }
    }
    return new long[] {events, unchained};
  }

  private void orphans(Connection c) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(ORPHANS)) {
      st.setFetchSize(Checkpoints.FETCH);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          found(
              new Break(
                  "deleted",
                  rs.getString(1),
                  rs.getLong(2),
                  rs.getLong(3),
                  "the event's row was deleted (its hash is still there)"));
        }
      }
    }
  }

  private void checkpoints(Connection c, long origin, long[] count, Checkpoint[] newest)
      throws SQLException {
    List<Checkpoint> all = new ArrayList<>();
    Checkpoints.each(c, all::add); // one row per interval: small next to the journal
    long expectedFrom = origin;
    for (Checkpoint k : all) {
      count[0]++;
      newest[0] = k;
      String range = "checkpoint over offsets " + (k.fromOrdering() + 1) + ".." + k.toOrdering();
      if (k.fromOrdering() != expectedFrom) {
        found(
            new Break(
                "checkpoint",
                "",
                0,
                k.fromOrdering(),
                "checkpoints skip offsets "
                    + (expectedFrom + 1)
                    + ".."
                    + k.fromOrdering()
                    + ": a checkpoint was deleted"));
      }
      expectedFrom = k.toOrdering();
      if (!signer.verifies(k.signedBytes(), k.signature())) {
        found(new Break("checkpoint", "", 0, k.toOrdering(), range + ": bad signature"));
        continue;
      }
      MerkleRoot tree = Checkpoints.over(c, k.fromOrdering(), k.toOrdering());
      if (tree.leaves() != k.events()) {
        found(
            new Break(
                "checkpoint",
                "",
                0,
                k.toOrdering(),
                range
                    + ": "
                    + tree.leaves()
                    + " events where it signed "
                    + k.events()
                    + " (rows deleted or inserted)"));
      } else if (!Arrays.equals(tree.root(), k.root())) {
        found(
            new Break(
                "checkpoint",
                "",
                0,
                k.toOrdering(),
                range + ": the events' hashes no longer give its signed root"));
      }
    }
  }

  private void found(String kind, ChainedEvent e, String detail) {
    found(new Break(kind, e.persistenceId(), e.sequenceNr(), e.ordering(), detail));
  }

  private void found(Break b) {
    breakCount++;
    if (breaks.size() < LISTED) {
      breaks.add(b);
    }
  }
}
