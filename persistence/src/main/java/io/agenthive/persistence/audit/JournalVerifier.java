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
 * Walks the journal and names every broken link, in two streamed passes and bounded memory (one
 * entity's newest hash, one Merkle stack, the first {@link #LISTED} breaks):
 *
 * <ol>
 *   <li>every entity's events in sequence order (a gap is looked up among the tombstones of rows
 *       Akka deleted): a row whose hash does not match its fields (edited, or rows swapped), a row
 *       without a hash (inserted around the hub), sequence numbers missing between two chained rows
 *       (deleted), a row marked deleted that the hub never deleted (hidden);
 *   <li>every event hash in ordering order against the checkpoints: each checkpoint's signature,
 *       that they follow each other without a gap, and that the rows in each one's range still give
 *       its count and Merkle root (what catches an entity's newest event deleted, a row moved to
 *       another ordering, or a forged chain).
 * </ol>
 *
 * Then every tombstone of the hub's own entities, for the hub's signature ({@link
 * SignedTombstones}): a row deleted around the hub, its tombstone written to cover the gap, shows.
 *
 * <p>{@code progress} hears the number of rows read every 10,000; it may throw to stop the walk
 * (the client went away).
 */
public final class JournalVerifier {
  static final int LISTED = 100;
  private static final long PROGRESS_EVERY = 10_000;
  // payloads may be large (up to hive.limits.max-event): fetch fewer rows at a time than the leaves
  private static final int ENTITY_FETCH = 100;
  // the journal's primary key order: an index scan, never a sort of the whole journal
  private static final String BY_ENTITY =
      "SELECT j.\"ordering\", j.\"persistence_id\", j.\"sequence_number\", j.\"write_timestamp\","
          + " j.\"event_ser_id\", j.\"event_ser_manifest\", j.\"event_payload\", j.\"hive_hash\","
          + " j.\"deleted\", CASE WHEN j.\"deleted\" THEN (SELECT COUNT(*) FROM"
          + " hive_event_tombstone t WHERE t.persistence_id = j.\"persistence_id\""
          + " AND t.sequence_number = j.\"sequence_number\") ELSE 0 END"
          + " FROM \"event_journal\" j ORDER BY j.\"persistence_id\", j.\"sequence_number\"";
  private static final String TOMBSTONES =
      "SELECT COUNT(*) FROM hive_event_tombstone"
          + " WHERE persistence_id = ? AND sequence_number BETWEEN ? AND ?";
  private static final String TOMBSTONE_HASH =
      "SELECT hash FROM hive_event_tombstone WHERE persistence_id = ? AND sequence_number = ?";

  /** One broken link: what is wrong, where (entity, sequence number, journal offset). */
  public record Break(
      String kind, String persistenceId, long sequenceNr, long offset, String detail) {}

  /** What a walk found. */
  public record Report(
      long events,
      long unchainedEvents,
      long checkpoints,
      Checkpoint newestCheckpoint,
      long eventsAfterNewestCheckpoint,
      long breakCount,
      List<Break> breaks) {
    public boolean intact() {
      return breakCount == 0;
    }
  }

  private final JournalSigner signer;
  private final List<Break> breaks = new ArrayList<>();
  private long breakCount;
  private long read;
  private LongConsumer progress = n -> {};

  /** {@code signer} checks the checkpoints' signatures (the hub's key). */
  public JournalVerifier(JournalSigner signer) {
    this.signer = signer;
  }

  /** The walk, on {@code c} (set to not auto-commit, so that PostgreSQL streams). Blocking. */
  public Report verify(Connection c, LongConsumer progress) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      return verifyInTransaction(c, progress);
    } finally {
      c.rollback();
      c.setAutoCommit(autoCommit);
    }
  }

  /**
   * The same walk in the caller's open transaction, which it neither commits nor rolls back: an
   * import verifies what it loaded before it commits any of it.
   */
  public Report verifyInTransaction(Connection c, LongConsumer progress) throws SQLException {
    this.progress = progress;
    long origin = Checkpoints.origin(c);
    long[] counts = entities(c, origin);
    CheckpointWalk walk = new CheckpointWalk(c, origin, signer, this::found, this::readOne);
    walk.run();
    SignedTombstones.check(c, signer, this::found);
    breaks.sort(Comparator.comparingLong(Break::offset));
    return new Report(
        counts[0],
        counts[1],
        walk.checkpoints(),
        walk.newest(),
        walk.eventsAfterNewest(),
        breakCount,
        List.copyOf(breaks));
  }

  private void readOne() {
    if (++read % PROGRESS_EVERY == 0) {
      progress.accept(read);
    }
  }

  private long[] entities(Connection c, long origin) throws SQLException {
    long events = 0;
    long unchained = 0;
    String entity = null;
    long lastSeq = 0;
    long lastOffset = 0;
    boolean lastChained = false;
    byte[] previous = EventHash.GENESIS;
    try (PreparedStatement st = c.prepareStatement(BY_ENTITY)) {
      st.setFetchSize(ENTITY_FETCH);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          readOne();
          events++;
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
          byte[] stored = rs.getBytes(8);
          boolean markedDeleted = rs.getBoolean(9);
          boolean tombstoned = rs.getLong(10) > 0;
          boolean chained = stored != null;
          boolean startsLate = false;
          if (!e.persistenceId().equals(entity)) {
            entity = e.persistenceId();
            startsLate = e.sequenceNr() > 1;
            lastSeq = 0;
            lastChained = false;
            previous = EventHash.GENESIS;
          }
          boolean checkHash = true;
          if (e.sequenceNr() != lastSeq + 1) {
            // rows Akka deleted left their hashes as tombstones: then the gap is no break
            long first = lastSeq + 1;
            long last = e.sequenceNr() - 1;
            byte[] before = tombstoneHash(c, e.persistenceId(), last);
            if (tombstones(c, e.persistenceId(), first, last) == last - first + 1) {
              previous = before;
            } else if (lastChained) {
              found(
                  new Break(
                      "missing",
                      e.persistenceId(),
                      first,
                      offset,
                      "events "
                          + first
                          + ".."
                          + last
                          + " of this entity, between offsets "
                          + lastOffset
                          + " and "
                          + offset
                          + ", were deleted"));
              checkHash = false; // chained to a row that is gone: reported once, as the gap
            } else {
              previous = before == null ? EventHash.GENESIS : before;
            }
          }
          lastSeq = e.sequenceNr();
          lastOffset = offset;
          lastChained = chained;
          if (markedDeleted && !tombstoned && (chained || offset > origin)) {
            found("hidden", e, "is marked deleted, but the hub never deleted it");
          }
          if (!chained) {
            if (offset > origin) {
              found("unhashed", e, "has no hash: the row was written around the hub");
            } else if (previous != EventHash.GENESIS) {
              found("unhashed", e, "has no hash but follows hashed events of its entity");
            } else {
              unchained++;
            }
            previous = EventHash.GENESIS; // as the writer does when it finds no hash
            continue;
          }
          if (checkHash && !Arrays.equals(EventHash.of(previous, e), stored)) {
            found(
                "altered",
                e,
                startsLate
                    ? "does not match its hash, and the events before it are missing"
                    : "does not match its hash: the row was changed after it was written (an"
                        + " edited field, or rows swapped)");
          }
          previous = stored; // the stored hash: one altered row is reported once
        }
      }
    }
    return new long[] {events, unchained};
  }

  private static long tombstones(Connection c, String entity, long from, long to)
      throws SQLException {
    try (PreparedStatement st = c.prepareStatement(TOMBSTONES)) {
      st.setString(1, entity);
      st.setLong(2, from);
      st.setLong(3, to);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  private static byte[] tombstoneHash(Connection c, String entity, long sequenceNr)
      throws SQLException {
    try (PreparedStatement st = c.prepareStatement(TOMBSTONE_HASH)) {
      st.setString(1, entity);
      st.setLong(2, sequenceNr);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? rs.getBytes(1) : null;
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
