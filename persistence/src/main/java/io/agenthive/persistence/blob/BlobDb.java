package io.agenthive.persistence.blob;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import javax.sql.DataSource;

/**
 * The blob store's database: its pool (auto-commit off), the dispatcher its blocking JDBC runs on,
 * its settings. Every unit of work is one short transaction on a connection taken for it and given
 * back at once, so a slow upload or download holds no connection between its parts (PostgreSQL
 * would also end a session idle inside a transaction after a few seconds).
 */
record BlobDb(DataSource pool, Executor blocking, BlobSettings settings, Clock clock) {

  /** Work in one transaction; may throw the store's own {@link IOException}s. */
  interface Work<T> {
    T apply(Connection c) throws SQLException, IOException;
  }

  /** Runs {@code work} in a transaction on the calling thread (blocking). */
  <T> T inTransaction(Work<T> work) throws IOException {
    try (Connection c = pool.getConnection()) {
      try {
        T out = work.apply(c);
        c.commit();
        return out;
      } catch (SQLException | IOException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IOException("blob store: " + e.getMessage(), e);
    }
  }

  /**
   * Runs {@code work} in a transaction on the blob dispatcher. The stage fails with the work's own
   * exception (a {@code StoreFull} stays a {@code StoreFull}, for the HTTP layer to map).
   */
  <T> CompletionStage<T> async(Work<T> work) {
    return onDispatcher(() -> inTransaction(work));
  }

  /** Blocking work that manages its own transactions. */
  interface Blocking<T> {
    T call() throws IOException;
  }

  /** Runs {@code work} on the blob dispatcher; the stage fails with its own exception. */
  <T> CompletionStage<T> onDispatcher(Blocking<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    try {
      blocking.execute(
          () -> {
            try {
              result.complete(work.call());
            } catch (Throwable e) {
              result.completeExceptionally(e);
            }
          });
    } catch (RuntimeException rejected) {
      result.completeExceptionally(rejected); // the node is shutting down
    }
    return result;
  }
}
