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

  final <T> CompletionStage<T> query(Query<T> q) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (Connection c = pool.getConnection()) {
            T answer = q.run(c);
            // read only: end the transaction the pool's auto-commit=false opened. A commit, not a
            // rollback: H2 empties the session's cache of parsed statements on every rollback,
            // so each list would parse its SQL again. A query that failed is rolled back by
            // HikariCP when the connection goes back (its commit state is dirty).
            c.commit();
            return answer;
          } catch (SQLException e) {
            throw new CompletionException(e);
          }
        },
        blocking);
  }

  /** How many rows of {@code table} match {@code where}: a list's total beside its page. */
  static long count(Connection c, String table, CharSequence where, List<Object> args)
      throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement("SELECT COUNT(*) FROM " + table + " WHERE " + where)) {
      for (int i = 0; i < args.size(); i++) {
        st.setObject(i + 1, args.get(i));
      }
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
