package io.agenthive.persistence;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * {@code hive_quarantine}: the rows readers could not deserialize. Written rarely (once per row and
 * node, a duplicate is ignored), so each call opens its own connection instead of holding one from
 * a pool. Blocking: called on the blocking dispatcher.
 */
final class QuarantineTable {
  /** SQLState of a unique key violation, on H2 and PostgreSQL alike. */
  private static final String DUPLICATE = "23505";

  private final DatabaseSettings db;

  QuarantineTable(DatabaseSettings db) {
    this.db = db;
  }

  void record(Quarantine.Entry e) {
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        PreparedStatement st =
            c.prepareStatement(
                "INSERT INTO hive_quarantine (persistence_id, sequence_nr, ordering_nr, manifest,"
                    + " reason, first_seen_ms) VALUES (?, ?, ?, ?, ?, ?)")) {
      st.setString(1, e.persistenceId());
      st.setLong(2, e.sequenceNr());
      st.setLong(3, e.offset());
      st.setString(4, cut(e.manifest(), 255));
      st.setString(5, cut(e.reason(), 1000));
      st.setLong(6, e.firstSeen().toEpochMilli());
      st.executeUpdate();
    } catch (SQLException ex) {
      if (!DUPLICATE.equals(ex.getSQLState())) {
        throw new CompletionException(ex);
      }
    }
  }

  List<Quarantine.Entry> list(int limit) {
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        PreparedStatement st =
            c.prepareStatement(
                "SELECT persistence_id, sequence_nr, ordering_nr, manifest, reason, first_seen_ms"
                    + " FROM hive_quarantine ORDER BY ordering_nr LIMIT ?")) {
      st.setInt(1, limit);
      List<Quarantine.Entry> out = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(
              new Quarantine.Entry(
                  rs.getString(1),
                  rs.getLong(2),
                  rs.getLong(3),
                  rs.getString(4),
                  rs.getString(5),
                  Instant.ofEpochMilli(rs.getLong(6))));
        }
      }
      return out;
    } catch (SQLException ex) {
      throw new CompletionException(ex);
    }
  }

  private static String cut(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }
}
