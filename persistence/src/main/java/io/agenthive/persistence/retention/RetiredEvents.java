package io.agenthive.persistence.retention;

import io.agenthive.persistence.audit.JournalSigner;
import io.agenthive.persistence.audit.SignedTombstones;
import io.agenthive.persistence.audit.Tombstones;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Deletes retired tasks' events from the journal ({@code hive.retention.delete-events}), as Akka's
 * own journal deletes an entity's events: each row's hash is kept first as a tombstone, every row
 * is marked deleted, and all but the newest are removed. The tombstones are signed with the hub's
 * key ({@link SignedTombstones}), so one written around the hub to hide a deleted row shows. The
 * newest stays, marked, so the task's id keeps its sequence numbers: a task that comes back under
 * that id (a client repeating its idempotency key) goes on after it, chained to its hash, and never
 * starts again at 1 under checkpoints that signed the old rows. Replays, the read side's queries
 * and a rebuilt read model skip marked rows; the verifier finds each gap among the tombstones and
 * counts them into the checkpoints that covered the rows. Runs in the sweep's transaction, after
 * the archive is on disk.
 */
final class RetiredEvents {
  private static final String J = "\"event_journal\"";
  private static final String PID = "\"persistence_id\"";
  private static final String SEQ = "\"sequence_number\"";
  private static final Tombstones TOMBSTONES = new Tombstones(J, PID, SEQ, "\"ordering\"");

  private RetiredEvents() {}

  /**
   * Deletes {@code persistenceIds}' events; the journal rows removed (the kept newest not counted).
   */
  static long delete(Connection c, List<String> persistenceIds, JournalSigner signer)
      throws SQLException {
    long removed = 0;
    try (PreparedStatement newest =
            c.prepareStatement("SELECT MAX(" + SEQ + ") FROM " + J + " WHERE " + PID + " = ?");
        PreparedStatement mark =
            c.prepareStatement(
                "UPDATE "
                    + J
                    + " SET \"deleted\" = TRUE WHERE "
                    + PID
                    + " = ? AND "
                    + SEQ
                    + " <= ?");
        PreparedStatement remove =
            c.prepareStatement("DELETE FROM " + J + " WHERE " + PID + " = ? AND " + SEQ + " < ?")) {
      for (String pid : persistenceIds) {
        newest.setString(1, pid);
        long max;
        try (ResultSet rs = newest.executeQuery()) {
          max = rs.next() ? rs.getLong(1) : 0;
        }
        if (max == 0) {
          continue; // no events: nothing to delete
        }
        TOMBSTONES.keep(c, pid, max);
        SignedTombstones.sign(c, signer, pid); // a tombstone the hub kept, not one forged around it
        mark.setString(1, pid);
        mark.setLong(2, max);
        mark.executeUpdate();
        remove.setString(1, pid);
        remove.setLong(2, max);
        removed += remove.executeUpdate(); // their tag rows go with them (ON DELETE CASCADE)
      }
    }
    return removed;
  }
}
