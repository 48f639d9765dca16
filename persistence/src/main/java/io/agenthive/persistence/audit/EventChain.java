package io.agenthive.persistence.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Links each event the journal writes to its entity's previous event: computes the hashes the
 * journal's INSERT stores beside each row ({@code hive_hash}), so an event is never committed
 * without its hash. The newest hash of recently written entities is kept in memory (an entity
 * writes its next event only after the previous one is stored); after a restart, or when an entity
 * moved here from another node, the previous hash is read back once. A new task's first event needs
 * no read at all. The memory is updated only after the write's transaction commits.
 */
public final class EventChain {
  private static final int REMEMBERED = 50_000;

  private record Link(long sequenceNr, byte[] hash) {}

  private final String previousSql;
  private final Map<String, Link> newest =
      new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Link> eldest) {
          return size() > REMEMBERED;
        }
      };

  /**
   * {@code previousSql} selects the hash of one row, given its persistence id and sequence number,
   * from the journal and then from the tombstones, the pair given twice (the journal DAO builds it
   * with the configured table and column names).
   */
  public EventChain(String previousSql) {
    this.previousSql = previousSql;
  }

  /** The hashes of a write, and the links to remember once its transaction has committed. */
  public final class Linked {
    private final byte[][] hashes;
    private final Map<String, Link> links;

    private Linked(byte[][] hashes, Map<String, Link> links) {
      this.hashes = hashes;
      this.links = links;
    }

    /** The hash of the {@code i}th event of the write. */
    public byte[] hash(int i) {
      return hashes[i];
    }

    public void committed() {
      synchronized (newest) {
        newest.putAll(links);
      }
    }
  }

  /** Hashes {@code events}, in write order; reads on {@code c} only what memory lacks. */
  public Linked link(Connection c, List<ChainedEvent> events) throws SQLException {
    Map<String, Link> links = new HashMap<>();
    byte[][] hashes = new byte[events.size()][];
    for (int i = 0; i < hashes.length; i++) {
      ChainedEvent e = events.get(i);
      hashes[i] = EventHash.of(previous(c, links, e), e);
      links.put(e.persistenceId(), new Link(e.sequenceNr(), hashes[i]));
    }
    return new Linked(hashes, links);
  }

  private byte[] previous(Connection c, Map<String, Link> thisWrite, ChainedEvent e)
      throws SQLException {
    if (e.sequenceNr() <= 1) {
      return EventHash.GENESIS;
    }
    Link known = thisWrite.get(e.persistenceId());
    if (known == null) {
      synchronized (newest) {
        known = newest.get(e.persistenceId());
      }
    }
    if (known != null && known.sequenceNr() == e.sequenceNr() - 1) {
      return known.hash();
    }
    try (PreparedStatement st = c.prepareStatement(previousSql)) {
      for (int i = 0; i < 2; i++) { // the row, or its tombstone once Akka deleted it
        st.setString(2 * i + 1, e.persistenceId());
        st.setLong(2 * i + 2, e.sequenceNr() - 1);
      }
      try (ResultSet rs = st.executeQuery()) {
        byte[] hash = rs.next() ? rs.getBytes(1) : null;
        // none: the previous event was written before the hub hashed events
        return hash == null ? EventHash.GENESIS : hash;
      }
    }
  }
}
