package io.agenthive.persistence.audit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.Consumer;

/**
 * Tombstones of the hub's own entities carry the hub's signature (its key, the one that signs
 * checkpoints) over their entity, sequence number, ordering and hash. A tombstone stands for a row
 * the hub deleted: without the signature, someone who can write to the database could delete a row
 * and write its tombstone (its hash is in the row), and every chain and checkpoint would still
 * verify. Only the sharding's own store (ids under {@code /sharding/}), whose old events Akka
 * deletes inside the journal plugin, keeps unsigned tombstones.
 */
public final class SignedTombstones {
  /** Akka's sharding store: its tombstones are kept by the journal plugin, which holds no key. */
  static final String UNSIGNED_PREFIX = "/sharding/";

  private static final String UNSIGNED =
      "SELECT persistence_id, sequence_number, ordering, hash FROM hive_event_tombstone"
          + " WHERE persistence_id = ? AND signature IS NULL";
  private static final String SIGN =
      "UPDATE hive_event_tombstone SET key_id = ?, signature = ?"
          + " WHERE persistence_id = ? AND sequence_number = ?";
  private static final String TO_CHECK =
      "SELECT persistence_id, sequence_number, ordering, hash, key_id, signature"
          + " FROM hive_event_tombstone WHERE persistence_id NOT LIKE '"
          + UNSIGNED_PREFIX
          + "%' ORDER BY ordering";

  private SignedTombstones() {}

  /** Signs {@code persistenceId}'s tombstones that have no signature yet. */
  public static void sign(Connection c, JournalSigner signer, String persistenceId)
      throws SQLException {
    try (PreparedStatement unsigned = c.prepareStatement(UNSIGNED);
        PreparedStatement update = c.prepareStatement(SIGN)) {
      unsigned.setString(1, persistenceId);
      try (ResultSet rs = unsigned.executeQuery()) {
        while (rs.next()) {
          byte[] message = message(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getBytes(4));
          update.setString(1, signer.keyId());
          update.setBytes(2, signer.sign(message));
          update.setString(3, rs.getString(1));
          update.setLong(4, rs.getLong(2));
          update.addBatch();
        }
      }
      update.executeBatch();
    }
  }

  /**
   * The verifier's third pass: every tombstone of the hub's entities must carry a signature of this
   * hub's key that verifies; each that does not is reported.
   */
  static void check(Connection c, JournalSigner signer, Consumer<JournalVerifier.Break> found)
      throws SQLException {
    try (PreparedStatement st = c.prepareStatement(TO_CHECK)) {
      st.setFetchSize(500); // streamed (the verifier's transaction): there may be millions
      check(st, signer, found);
    }
  }

  private static void check(
      PreparedStatement st, JournalSigner signer, Consumer<JournalVerifier.Break> found)
      throws SQLException {
    try (ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        String entity = rs.getString(1);
        long seq = rs.getLong(2);
        long offset = rs.getLong(3);
        String keyId = rs.getString(5);
        byte[] signature = rs.getBytes(6);
        String problem =
            signature == null
                ? "the hub never signed it: the row was deleted around the hub"
                : !signer.keyId().equals(keyId)
                    ? "it is signed by key " + keyId + ", not by this hub's key " + signer.keyId()
                    : !signer.verifies(message(entity, seq, offset, rs.getBytes(4)), signature)
                        ? "its signature does not verify: the tombstone was forged or altered"
                        : null;
        if (problem != null) {
          found.accept(
              new JournalVerifier.Break(
                  "tombstone",
                  entity,
                  seq,
                  offset,
                  "the deleted row's tombstone cannot be trusted: " + problem));
        }
      }
    }
  }

  private static byte[] message(String entity, long seq, long ordering, byte[] hash) {
    byte[] id = entity.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(4 + id.length + 16 + hash.length)
        .putInt(id.length)
        .put(id)
        .putLong(seq)
        .putLong(ordering)
        .put(hash)
        .array();
  }
}
