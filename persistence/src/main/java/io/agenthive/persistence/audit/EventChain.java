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
 * Links each event the journal writes to its entity's previous event: computes the hashes and
 * inserts them ({@code hive_event_hash}) in the write's own transaction, so an event is never
 * committed without its hash. The newest hash of recently written entities is kept in memory (an
 * entity writes its next event only after the previous one is stored); after a restart, or when an
 * entity moved here from another node, the previous hash is read back once. A new task's first
 * event needs no read at all. The memory is updated only after the transaction commits.
 */
public final class EventChain {
  private static final int REMEMBERED = 50_000;
  private static final String INSERT =
      "INSERT INTO hive_event_hash (persistence_id, sequence_number, ordering, hash)"
          + " VALUES (?, ?, ?, ?)";
  private static final String PREVIOUS =
      "SELECT hash FROM hive_event_hash WHERE persistence_id = ? AND sequence_number = ?";

  private record Link(long sequenceNr, byte[] hash) {}

  private final Map<String, Link> newest =
      new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Link> eldest) {
          return size() > REMEMBERED;
        }
      };

  /** The links a write made, to remember once its transaction has committed. */
  public final class Written {
    private final Map<String, Link> links;

    private Written(Map<String, Link> links) {
      this.links = links;
    }

    public void committed() {
      synchronized (newest) {
        newest.putAll(links);
      }
    }
  }

  /** Hashes {@code events} (in write order) and inserts their hash rows on {@code c}. */
  public Written link(Connection c, List<ChainedEvent> events) throws SQLException {
    Map<String, Link> links = new HashMap<>();
    try (PreparedStatement st = c.prepareStatement(INSERT)) {
      for (ChainedEvent e : events) {
        byte[] previous = previous(c, links, e);
        byte[] hash = EventHash.of(previous, e);
        links.put(e.persistenceId(), new Link(e.sequenceNr(), hash));
        st.setString(1, e.persistenceId());
        st.setLong(2, e.sequenceNr());
        st.setLong(3, e.ordering());
        st.setBytes(4, hash);
        st.addBatch();
      }
      st.executeBatch();
    }
    return new Written(links);
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
    try (PreparedStatement st = c.prepareStatement(PREVIOUS)) {
      st.setString(1, e.persistenceId());
      st.setLong(2, e.sequenceNr() - 1);
      try (ResultSet rs = st.executeQuery()) {
        // none: the previous event was written before the hub hashed events
        return rs.next() ? rs.getBytes(1) : EventHash.GENESIS;
      }
    }
  }
}
