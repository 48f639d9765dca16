package io.agenthive.persistence.backup;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The import's side of the tables: one prepared INSERT per table, with the columns the backup's
 * first row of it names mapped onto this database's (H2 and PostgreSQL spell them differently),
 * rows sent in batches bounded in count and in bytes.
 */
final class ImportTargets implements AutoCloseable {
  private static final int BATCH = 500;
  // a batch of stored-file parts is sent before it holds this much (a part may be 16 MiB)
  private static final long BATCH_BYTES = 4L * 1024 * 1024;

  private record Column(String name, String sqlName, ColumnCodec.Kind kind) {}

  private static final class Target {
    final BackupTables.Table table;
    final PreparedStatement insert;
    final List<Column> columns;
    int pending;
    long pendingBytes;
    long firstPendingLine;

    Target(BackupTables.Table table, PreparedStatement insert, List<Column> columns) {
      this.table = table;
      this.insert = insert;
      this.columns = columns;
    }
  }

  private final Connection c;
  private final Map<String, Target> targets = new HashMap<>();
  private Target current;

  ImportTargets(Connection c) {
    this.c = c;
  }

  void row(String tableName, JsonNode r, long line, int lineBytes) throws SQLException {
    Target t = targets.get(tableName);
    if (t == null) {
      BackupTables.Table table = BackupTables.named(tableName);
      if (table == null) {
        throw new ColumnCodec.BadLine("a backup has no table named " + tableName);
      }
      t = prepare(table, r);
      targets.put(tableName, t);
    }
    if (t != current) {
      flush(); // a table's rows go in after those they refer to (a tag after its event)
      current = t;
    }
    if (r.size() != t.columns.size()) {
      throw new ColumnCodec.BadLine(
          "its row of "
              + tableName
              + " has "
              + r.size()
              + " columns, the first had "
              + t.columns.size());
    }
    for (int i = 0; i < t.columns.size(); i++) {
      Column col = t.columns.get(i);
      if (!r.has(col.name())) {
        throw new ColumnCodec.BadLine("its row of " + tableName + " has no column " + col.name());
      }
      ColumnCodec.set(t.insert, i + 1, r.get(col.name()), col.kind(), tableName + "." + col.name());
    }
    t.insert.addBatch();
    if (t.pending++ == 0) {
      t.firstPendingLine = line;
    }
    t.pendingBytes += lineBytes;
    if (t.pending >= BATCH || t.pendingBytes >= BATCH_BYTES) {
      send(t, line);
    }
  }

  void flush() throws SQLException {
    if (current != null && current.pending > 0) {
      send(current, -1);
    }
  }

  private void send(Target t, long lastLine) throws SQLException {
    try {
      t.insert.executeBatch();
    } catch (SQLException e) {
      throw new ColumnCodec.BadLine(
          "the database refused a row of "
              + t.table.name()
              + " among the lines from "
              + t.firstPendingLine
              + (lastLine > 0 ? " to " + lastLine : " on")
              + " ("
              + e.getMessage()
              + ")");
    }
    t.pending = 0;
    t.pendingBytes = 0;
  }

  @Override
  public void close() throws SQLException {
    for (Target t : targets.values()) {
      t.insert.close();
    }
  }

  /** The journal's ordering goes on after the highest imported, as it would have on the source. */
  void continueOrdering(boolean postgres) throws SQLException {
    long max;
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT COALESCE(MAX(\"ordering\"), 0) FROM \"event_journal\"")) {
      rs.next();
      max = rs.getLong(1);
    }
    if (max == 0) {
      return;
    }
    try (Statement st = c.createStatement()) {
      if (postgres) {
        st.execute(
            "SELECT setval(pg_get_serial_sequence('event_journal', 'ordering'), " + max + ")");
      } else {
        st.execute(
            "ALTER TABLE \"event_journal\" ALTER COLUMN \"ordering\" RESTART WITH " + (max + 1));
      }
    }
  }

  private Target prepare(BackupTables.Table table, JsonNode first) throws SQLException {
    Map<String, Column> here = new HashMap<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT * FROM " + table.sqlName() + " WHERE 1 = 0")) {
      ResultSetMetaData meta = rs.getMetaData();
      for (int i = 1; i <= meta.getColumnCount(); i++) {
        String actual = meta.getColumnName(i);
        String name = actual.toLowerCase(Locale.ROOT);
        here.put(
            name,
            new Column(
                name,
                "\"" + actual + "\"",
                ColumnCodec.kindOf(meta.getColumnType(i), table.name() + "." + name)));
      }
    }
    List<Column> columns = new ArrayList<>();
    for (Iterator<String> names = first.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      Column col = here.get(name);
      if (col == null) {
        throw new ColumnCodec.BadLine(
            "table " + table.name() + " has no column " + name + " in this database");
      }
      columns.add(col);
    }
    String sql =
        "INSERT INTO "
            + table.sqlName()
            + " ("
            + String.join(", ", columns.stream().map(Column::sqlName).toList())
            + ") VALUES ("
            + String.join(", ", java.util.Collections.nCopies(columns.size(), "?"))
            + ")";
    return new Target(table, c.prepareStatement(sql), columns);
  }
}
