package io.agenthive.bench;

import com.typesafe.config.Config;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The core scenario's ceiling: how fast this database takes the run's own journal rows (same count,
 * same columns, same payload bytes) through plain batched JDBC inserts, 500 rows per batch and
 * commit, into a scratch copy of the journal table with the journal's unique index. No actors, no
 * serialization, no tags: what the database alone can do with these rows.
 */
final class RawInsertCeiling {
  private static final int BATCH = 500;

  private RawInsertCeiling() {}

  record Result(long rows, double rowsPerSecond) {}

  static Result measure(BenchDb db, Config base) throws Exception {
    try (Connection c = db.connect(base)) {
      List<Object[]> rows = new ArrayList<>();
      int columns;
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT * FROM \"event_journal\"")) {
        ResultSetMetaData meta = rs.getMetaData();
        columns = meta.getColumnCount();
        while (rs.next()) {
          Object[] row = new Object[columns];
          for (int i = 0; i < columns; i++) {
            row[i] = rs.getObject(i + 1);
          }
          rows.add(row);
        }
      }
      try (Statement st = c.createStatement()) {
        st.execute("DROP TABLE IF EXISTS bench_raw_journal");
        st.execute("CREATE TABLE bench_raw_journal AS SELECT * FROM \"event_journal\" WHERE 1 = 0");
        st.execute(
            "CREATE UNIQUE INDEX bench_raw_journal_idx ON bench_raw_journal"
                + " (\"persistence_id\", \"sequence_number\")");
        c.commit();
      }
      String marks = "?" + ", ?".repeat(columns - 1);
      long start = System.nanoTime();
      try (PreparedStatement st =
          c.prepareStatement("INSERT INTO bench_raw_journal VALUES (" + marks + ")")) {
        int inBatch = 0;
        for (Object[] row : rows) {
          for (int i = 0; i < columns; i++) {
            st.setObject(i + 1, row[i]);
          }
          st.addBatch();
          if (++inBatch == BATCH) {
            st.executeBatch();
            c.commit();
            inBatch = 0;
          }
        }
        st.executeBatch();
        c.commit();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      try (Statement st = c.createStatement()) {
        st.execute("DROP TABLE bench_raw_journal");
        c.commit();
      }
      return new Result(rows.size(), rows.size() / seconds);
    }
  }
}
