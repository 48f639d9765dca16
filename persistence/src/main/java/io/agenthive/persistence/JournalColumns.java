package io.agenthive.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The journal's columns of the hub's own, for its tamper evidence ({@code docs/audit.md}): {@code
 * hive_hash} (each event's SHA-256, chained to its entity's previous event) and {@code
 * hive_written_at} (the database's clock when the row was inserted). Added only where missing,
 * because PostgreSQL takes the journal's exclusive lock for an {@code ALTER TABLE} even when the
 * column exists: a node starting behind a long journal read would stop every write in the cluster
 * while it waits. And the chain's origin, which only a hub's start sets.
 */
final class JournalColumns {
  private JournalColumns() {}

  static void ensure(Connection c, boolean postgres, boolean hubStart) throws SQLException {
    Set<String> present = present(c);
    try (Statement st = c.createStatement()) {
      if (!present.contains("hive_hash")) {
        st.execute("ALTER TABLE \"event_journal\" ADD COLUMN IF NOT EXISTS \"hive_hash\" BYTEA");
      }
      if (!present.contains("hive_written_at")) {
        // PostgreSQL's CURRENT_TIMESTAMP is the transaction's start, before the row's ordering is
        // drawn; clock_timestamp() is the insert's own moment, which the checkpoints rely on
        st.execute(
            "ALTER TABLE \"event_journal\" ADD COLUMN IF NOT EXISTS \"hive_written_at\""
                + " TIMESTAMP WITH TIME ZONE DEFAULT "
                + (postgres ? "clock_timestamp()" : "CURRENT_TIMESTAMP"));
      }
      if (hubStart && !chainOriginKept(c)) {
        // asked first: the insert's aggregate reads every journal row in H2 (a second at each
        // start on 600,000 events), and the origin is kept once in a journal's life.
        // HAVING, not WHERE: an aggregate over no rows is still one row
        st.execute(
            "INSERT INTO hive_chain_origin (id, before_ordering)"
                + " SELECT 1, COALESCE(MAX(\"ordering\"), 0) FROM \"event_journal\""
                + " HAVING NOT EXISTS (SELECT 1 FROM hive_chain_origin WHERE id = 1)");
      }
    }
  }

  private static boolean chainOriginKept(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT 1 FROM hive_chain_origin WHERE id = 1")) {
      return rs.next();
    }
  }

  private static Set<String> present(Connection c) throws SQLException {
    Set<String> names = new HashSet<>();
    try (PreparedStatement st =
            c.prepareStatement(
                "SELECT column_name FROM information_schema.columns"
                    + " WHERE table_name = 'event_journal' AND table_schema = CURRENT_SCHEMA");
        ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        names.add(rs.getString(1).toLowerCase(Locale.ROOT));
      }
    }
    return names;
  }
}
