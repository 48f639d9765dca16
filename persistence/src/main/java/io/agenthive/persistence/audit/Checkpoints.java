package io.agenthive.persistence.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The checkpoint table and the Merkle roots it signs. Blocking JDBC on a connection the caller
 * holds; reads of ranges stream (a fetch size, on a connection not in auto-commit, which is what
 * makes PostgreSQL stream rather than load a whole result).
 */
public final class Checkpoints {
  static final int FETCH = 1000;

  /**
   * Every event's ordering and hash in {@code (from, to]}, in ordering order: the journal's rows,
   * and the tombstones of rows Akka deleted since.
   */
  static final String LEAVES =
      "SELECT j.\"ordering\", j.\"hive_hash\" FROM \"event_journal\" j"
          + " WHERE j.\"ordering\" > ? AND j.\"ordering\" <= ?"
          + " UNION ALL SELECT t.ordering, t.hash FROM hive_event_tombstone t"
          + " WHERE t.ordering > ? AND t.ordering <= ? AND NOT EXISTS (SELECT 1 FROM"
          + " \"event_journal\" j WHERE j.\"persistence_id\" = t.persistence_id"
          + " AND j.\"sequence_number\" = t.sequence_number)"
          + " ORDER BY 1";

  static final String COLUMNS =
      "from_ordering, to_ordering, event_count, merkle_root, created_at_ms, key_id, signature";

  private Checkpoints() {}

  /**
   * Events at or below this ordering were written before the hub hashed events; all of them when no
   * hub of this version has started on the journal yet.
   */
  static long origin(Connection c) throws SQLException {
    try (PreparedStatement st =
            c.prepareStatement("SELECT before_ordering FROM hive_chain_origin WHERE id = 1");
        ResultSet rs = st.executeQuery()) {
      return rs.next() ? rs.getLong(1) : Long.MAX_VALUE;
    }
  }

  /** The Merkle tree over the hashes of the journal's rows in {@code (from, to]}. */
  static MerkleRoot over(Connection c, long from, long to) throws SQLException {
    MerkleRoot tree = new MerkleRoot();
    try (PreparedStatement st = leaves(c, from, to)) {
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          byte[] hash = rs.getBytes(2);
          // a row without a hash (written around the hub) still counts, and changes the root
          tree.add(hash == null ? EventHash.GENESIS : hash);
        }
      }
    }
    return tree;
  }

  static PreparedStatement leaves(Connection c, long from, long to) throws SQLException {
    PreparedStatement st = c.prepareStatement(LEAVES);
    st.setFetchSize(FETCH);
    st.setLong(1, from);
    st.setLong(2, to);
    st.setLong(3, from);
    st.setLong(4, to);
    return st;
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

  /** Every checkpoint, oldest first, streamed: the caller closes it. */
  static PreparedStatement all(Connection c) throws SQLException {
    PreparedStatement st =
        c.prepareStatement(
            "SELECT " + COLUMNS + " FROM hive_journal_checkpoint ORDER BY from_ordering");
    st.setFetchSize(FETCH);
    return st;
  }

  /**
   * Signs and stores the checkpoint after the newest one, over the rows the database inserted more
   * than {@code lagMs} ago (whole seconds) by its own clock: a write still open may hold a lower
   * ordering than a row already visible, but none stays open that long (a journal write inserts and
   * commits at once). Returns it, or null when there is nothing new. Two nodes writing the same
   * checkpoint at once: one insert fails on the key, and that node's caller moves on.
   */
  static Checkpoint writeNext(Connection c, JournalSigner signer, long lagMs, long nowMs)
      throws SQLException {
    Checkpoint last = newest(c);
    long from = last == null ? origin(c) : last.toOrdering();
    long to;
    try (PreparedStatement st =
        c.prepareStatement(
            "SELECT MAX(\"ordering\") FROM \"event_journal\" WHERE \"ordering\" > ? AND"
                + " \"hive_written_at\" < CURRENT_TIMESTAMP - INTERVAL '"
                + Math.max(0, lagMs / 1000)
                + "' SECOND")) {
      st.setLong(1, from);
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

  /** The checkpoint at the result set's current row (the columns {@link #all} selects). */
  static Checkpoint read(ResultSet rs) throws SQLException {
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
