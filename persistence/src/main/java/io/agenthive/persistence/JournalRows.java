package io.agenthive.persistence;

import akka.persistence.jdbc.config.EventJournalTableColumnNames;
import akka.persistence.jdbc.config.EventJournalTableConfiguration;
import akka.persistence.jdbc.journal.dao.JournalTables.JournalAkkaSerializationRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import scala.Option;

/**
 * The journal's rows as our DAOs read them with plain JDBC (column names from the plugin's config):
 * the columns every read selects, one entity's rows in order, and a row from a result set. Our DAOs
 * read rows themselves, rather than through the plugin's queries, so that a row whose payload
 * cannot be deserialized is still known by its persistence id, sequence number and ordering when it
 * is quarantined.
 */
final class JournalRows {
  private final String columns;
  private final String byPersistenceId;

  JournalRows(EventJournalTableConfiguration journal) {
    EventJournalTableColumnNames c = journal.columnNames();
    this.columns =
        String.join(
            ", ",
            "j." + q(c.ordering()),
            "j." + q(c.deleted()),
            "j." + q(c.persistenceId()),
            "j." + q(c.sequenceNumber()),
            "j." + q(c.writer()),
            "j." + q(c.writeTimestamp()),
            "j." + q(c.adapterManifest()),
            "j." + q(c.eventPayload()),
            "j." + q(c.eventSerId()),
            "j." + q(c.eventSerManifest()),
            "j." + q(c.metaPayload()),
            "j." + q(c.metaSerId()),
            "j." + q(c.metaSerManifest()));
    this.byPersistenceId =
        "SELECT "
            + columns
            + " FROM "
            + table(journal.schemaName(), journal.tableName())
            + " j WHERE j."
            + q(c.persistenceId())
            + " = ? AND j."
            + q(c.sequenceNumber())
            + " >= ? AND j."
            + q(c.sequenceNumber())
            + " <= ? AND j."
            + q(c.deleted())
            + " = FALSE ORDER BY j."
            + q(c.sequenceNumber())
            + " LIMIT ?";
  }

  /** The selected columns, in the order {@link #row} reads them; the journal's alias is j. */
  String columns() {
    return columns;
  }

  /** Rows {@code from..to} of one entity (deleted ones left out), at most {@code max}. */
  List<JournalAkkaSerializationRow> ofEntity(
      Connection c, String persistenceId, long from, long to, long max) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(byPersistenceId)) {
      st.setString(1, persistenceId);
      st.setLong(2, from);
      st.setLong(3, to);
      st.setLong(4, Math.min(max, Integer.MAX_VALUE));
      return all(st);
    }
  }

  static List<JournalAkkaSerializationRow> all(PreparedStatement st) throws SQLException {
    List<JournalAkkaSerializationRow> out = new ArrayList<>();
    try (ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        out.add(row(rs));
      }
    }
    return out;
  }

  static JournalAkkaSerializationRow row(ResultSet rs) throws SQLException {
    byte[] meta = rs.getBytes(11);
    int metaSerId = rs.getInt(12);
    boolean hasMeta = !rs.wasNull() && meta != null;
    return new JournalAkkaSerializationRow(
        rs.getLong(1),
        rs.getBoolean(2),
        rs.getString(3),
        rs.getLong(4),
        rs.getString(5),
        rs.getLong(6),
        rs.getString(7),
        rs.getBytes(8),
        rs.getInt(9),
        rs.getString(10),
        hasMeta ? Option.apply(meta) : Option.empty(),
        hasMeta ? Option.apply(metaSerId) : Option.empty(),
        hasMeta ? Option.apply(rs.getString(13)) : Option.empty());
  }

  static String q(String name) {
    return "\"" + name + "\"";
  }

  static String table(Option<String> schema, String name) {
    return schema.isDefined() ? q(schema.get()) + "." + q(name) : q(name);
  }
}
