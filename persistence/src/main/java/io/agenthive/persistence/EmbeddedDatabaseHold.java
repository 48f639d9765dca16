package io.agenthive.persistence;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Keeps the embedded database open while a node or a command uses it. H2 closes an embedded
 * database when its last connection closes, and closing rewrites and syncs the file's end: the
 * schema bootstrap's own connection, the only one before the pools start, made every start close
 * the file and open it again. On the journal of a million events, measured alone, that was 0.7 s to
 * close and 0.55-0.77 s to open again, before the actor system could start (a start's median fell
 * by 0.9 s). One connection held from before the bootstrap until the node ends opens the file once.
 * On PostgreSQL there is nothing to hold.
 */
public final class EmbeddedDatabaseHold implements AutoCloseable {
  private final Connection held;

  private EmbeddedDatabaseHold(Connection held) {
    this.held = held;
  }

  /**
   * Opens the embedded database and holds it; on PostgreSQL holds nothing. Throws what opening
   * throws (a file in use by another process: H2's error 90020).
   */
  public static EmbeddedDatabaseHold open(DatabaseSettings db) throws SQLException {
    return new EmbeddedDatabaseHold(db.kind().equals("h2") ? db.connect() : null);
  }

  /** Lets the database close once the pools have closed their connections too. */
  @Override
  public void close() throws SQLException {
    if (held != null) {
      held.close();
    }
  }
}
