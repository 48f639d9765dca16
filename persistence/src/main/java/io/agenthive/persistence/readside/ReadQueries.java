package io.agenthive.persistence.readside;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
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

  /** A page of ids in creation order and the cursor to the next page, if any. */
  public record Page(List<String> ids, String nextCursor) {}

  final <T> CompletionStage<T> query(Query<T> q) {
    return CompletableFuture.supplyAsync(() -> {
      try (Connection c = pool.getConnection()) {
        try {
          return q.run(c);
        } finally {
          c.rollback(); // read only: end the transaction the pool's auto-commit=false opened
        }
      } catch (SQLException e) {
        throw new CompletionException(e);
      }
    }, blocking);
  }

  static List<String> strings(Connection c, String sql, List<Object> args) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(sql)) {
      for (int i = 0; i < args.size(); i++) {
        st.setObject(i + 1, args.get(i));
      }
      try (ResultSet rs = st.executeQuery()) {
        List<String> out = new ArrayList<>();
        while (rs.next()) {
          out.add(rs.getString(1));
        }
        return out;
      }
    }
  }

  /**
   * Ids after {@code cursor} (the last id of the previous page) in creation order. {@code where}
   * holds the filters' conditions ("1 = 1" for none) with their arguments in {@code args}.
   */
  static Page page(Connection c, String table, String idColumn, String where, List<Object> args,
      String cursor, int limit) throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT ").append(idColumn).append(" FROM ")
        .append(table).append(" WHERE ").append(where);
    List<Object> all = new ArrayList<>(args);
    if (cursor != null) {
      // an unknown cursor gives an empty page rather than the first one again
      sql.append(" AND created_offset > COALESCE((SELECT created_offset FROM ").append(table)
          .append(" WHERE ").append(idColumn).append(" = ?), 9223372036854775807)");
      all.add(cursor);
    }
    sql.append(" ORDER BY created_offset LIMIT ").append(limit + 1);
    List<String> ids = strings(c, sql.toString(), all);
    boolean more = ids.size() > limit;
    List<String> page = more ? ids.subList(0, limit) : ids;
    return new Page(List.copyOf(page), more ? page.get(page.size() - 1) : null);
  }
}
