package io.agenthive.persistence.readside;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import javax.sql.DataSource;

/**
 * What the read tables' query classes share: blocking JDBC on the blocking dispatcher, answered
 * with a stage, on a pooled connection whose read-only transaction is always ended.
 */
public abstract class ReadQueries {
  private final DataSource pool;
  private final Executor blocking;

  ReadQueries(DataSource pool, Executor blocking) {
    this.pool = pool;
    this.blocking = blocking;
  }

  interface Query<T> {
    T run(Connection c) throws SQLException;
  }

  interface RowReader {
    void read(ResultSet rs) throws SQLException;
  }

  final <T> CompletionStage<T> query(Query<T> q) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (Connection c = pool.getConnection()) {
            try {
              return q.run(c);
            } finally {
              c.rollback(); // read only: end the transaction the pool's auto-commit=false opened
            }
          } catch (SQLException e) {
            throw new CompletionException(e);
          }
        },
        blocking);
  }

  /**
   * Reads the rows after {@code cursor} (the id of the last row of the previous page) in creation
   * order, one query; {@code where} holds the filters ("1 = 1" for none) with their arguments.
   * Returns the cursor to the next page, or null on the last one.
   */
  static String page(
      Connection c,
      String table,
      String idColumn,
      String columns,
      String where,
      List<Object> args,
      String cursor,
      int limit,
      RowReader reader)
      throws SQLException {
    StringBuilder sql =
        new StringBuilder("SELECT ")
            .append(columns)
            .append(" FROM ")
            .append(table)
            .append(" WHERE ")
            .append(where);
    List<Object> all = new java.util.ArrayList<>(args);
    if (cursor != null) {
      // an unknown cursor gives an empty page rather than the first one again
      sql.append(" AND created_offset > COALESCE((SELECT created_offset FROM ")
          .append(table)
          .append(" WHERE ")
          .append(idColumn)
          .append(" = ?), 9223372036854775807)");
      all.add(cursor);
    }
    sql.append(" ORDER BY created_offset LIMIT ").append(limit + 1);
    try (PreparedStatement st = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < all.size(); i++) {
        st.setObject(i + 1, all.get(i));
      }
      try (ResultSet rs = st.executeQuery()) {
        int read = 0;
        String last = null;
        while (rs.next()) {
          if (read == limit) {
            return last; // there is one more: the page ends at the last row read
          }
          reader.read(rs);
          last = rs.getString(idColumn);
          read++;
        }
        return null;
      }
    }
  }
}
