package io.agenthive.persistence.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.Consumer;

/**
 * The checkpoint table and the Merkle roots it signs. Blocking JDBC on a connection the caller
 * holds; reads of ranges stream (a fetch size, on a connection not in auto-commit, which is what
 * makes PostgreSQL stream rather than load a whole result).
 */
public final class Checkpoints {
  static final int FETCH = 1000;
  private static final String LEAVES =
      "SELECT h.hash FROM \"event_journal\" j LEFT JOIN hive_event_hash h"
          + " ON h.persistence_id = j.\"persistence_id\""
          + " AND h.sequence_number = j.\"sequence_number\""
          + " WHERE j.\"ordering\" > ? AND j.\"ordering\" <= ? ORDER BY j.\"ordering\"";
  private static final String COLUMNS =
      "from_ordering, to_ordering, event_count, merkle_root, created_at_ms, key_id, signature";

  private Checkpoints() {}

  /** Events at or below this ordering were written before the hub hashed events. */
  static long origin(Connection c) throws SQLException {
    try (PreparedStatement st =
            c.prepareStatement("SELECT before_ordering FROM hive_chain_origin WHERE id = 1");
        ResultSet rs = st.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  /** The Merkle tree over the hashes of the journal's rows in {@code (from, to]}. */
  static MerkleRoot over(Connection c, long from, long to) throws SQLException {
    MerkleRoot tree = new MerkleRoot();
    try (PreparedStatement st = c.prepareStatement(LEAVES)) {
      st.setFetchSize(FETCH);
      st.setLong(1, from);
      st.setLong(2, to);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          byte[] hash = rs.getBytes(1);
          // a row without a hash (written around the hub) still counts, and changes the root
          tree.add(hash == null ? EventHash.GENESIS : hash);
        }
      }
    }
    return tree;
  }

  /** The newest checkpoint, or null. */
  public static Checkpoint newest(Connection c) throws SQLException {
    try (PreparedStatement st =
            c.prepareStatement(
                "SELECT "
                    + COLUMNS
                    + " FROM hive_journal_checkpoint ORDER BY from_ordering DESC LIMIT 1");
        ResultSet rs = st.executeQuery()) {
      return rs.next() ? read(rs) : null;
    }
  }

  /** Every checkpoint, oldest first. */
  static void each(Connection c, Consumer<Checkpoint> visit) throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            "SELECT " + COLUMNS + " FROM hive_journal_checkpoint ORDER BY from_ordering")) {
      st.setFetchSize(FETCH);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          visit.accept(read(rs));
        }
      }
    }
  }

  /**
   * Signs and stores the checkpoint after the newest one, over the events written before {@code
   * settledBeforeMs} (a write still in flight may hold a lower ordering than one already visible;
   * none is in flight that long). Returns it, or null when there is nothing new. Two nodes writing
   * the same checkpoint at once: one insert fails on the key, and that node's caller moves on.
   */
  static Checkpoint writeNext(Connection c, JournalSigner signer, long settledBeforeMs, long nowMs)
      throws SQLException {
    Checkpoint last = newest(c);
    long from = last == null ? origin(c) : last.toOrdering();
    long to;
    try (PreparedStatement st =
        c.prepareStatement(
            "SELECT MAX(\"ordering\") FROM \"event_journal\""
                + " WHERE \"ordering\" > ? AND \"write_timestamp\" < ?")) {
      st.setLong(1, from);
      st.setLong(2, settledBeforeMs);
      try (ResultSet rs = st.executeQuery()) {
        to = rs.next() ? rs.getLong(1) : 0;
        if (rs.wasNull() || to <= from) {
          return null;
        }
      }
    }
    MerkleRoot tree = over(c, from, to);
    Checkpoint unsigned =
        new Checkpoint(from, to, tree.leaves(), tree.root(), nowMs, signer.keyId(), new byte[0]);
    Checkpoint signed =
        new Checkpoint(
            from,
            to,
            tree.leaves(),
            unsigned.root(),
            nowMs,
            signer.keyId(),
            signer.sign(unsigned.signedBytes()));
    try (PreparedStatement st =
        c.prepareStatement(
            "INSERT INTO hive_journal_checkpoint (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      st.setLong(1, signed.fromOrdering());
      st.setLong(2, signed.toOrdering());
      st.setLong(3, signed.events());
      st.setBytes(4, signed.root());
      st.setLong(5, signed.createdAtMs());
      st.setString(6, signed.keyId());
      st.setBytes(7, signed.signature());
      st.executeUpdate();
    }
    return signed;
  }

  private static Checkpoint read(ResultSet rs) throws SQLException {
    return new Checkpoint(
        rs.getLong(1),
        rs.getLong(2),
        rs.getLong(3),
        rs.getBytes(4),
        rs.getLong(5),
        rs.getString(6),
        rs.getBytes(7));
  }
}
