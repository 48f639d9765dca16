package io.agenthive.persistence.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The hashes of events Akka deletes (the sharding's remember-entities store deletes its old events
 * after each snapshot), kept before the rows go: the next event's hash was chained to them, and a
 * checkpoint may cover them. Kept for every row up to the deletion's sequence number, whether the
 * journal then removes the row or only marks it deleted; a row marked deleted without a tombstone
 * was not deleted by the hub.
 */
public final class Tombstones {
  /** The journal's column that holds each event's chained hash. */
  public static final String HASH_COLUMN = "hive_hash";

  private final String keep;

  /** The journal's table and column names, quoted as the journal DAO quotes them. */
  public Tombstones(String journal, String persistenceId, String sequenceNr, String ordering) {
    this.keep =
        "INSERT INTO hive_event_tombstone (persistence_id, sequence_number, ordering, hash)"
            + " SELECT j."
            + persistenceId
            + ", j."
            + sequenceNr
            + ", j."
            + ordering
            + ", j.\""
            + HASH_COLUMN
            + "\" FROM "
            + journal
            + " j WHERE j."
            + persistenceId
            + " = ? AND j."
            + sequenceNr
            + " <= ? AND j.\""
            + HASH_COLUMN
            + "\" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM hive_event_tombstone t"
            + " WHERE t.persistence_id = j."
            + persistenceId
            + " AND t.sequence_number = j."
            + sequenceNr
            + ")";
  }

  /** Keeps the hashes of {@code persistenceId}'s rows up to {@code maxSequenceNr}. */
  public void keep(Connection c, String persistenceId, long maxSequenceNr) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(keep)) {
      st.setString(1, persistenceId);
      st.setLong(2, maxSequenceNr);
      st.executeUpdate();
    }
  }
}
