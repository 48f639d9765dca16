package io.agenthive.persistence.audit;

import akka.NotUsed;
import akka.stream.javadsl.Source;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/**
 * The signed checkpoints as a stream, for an export: a copy of them kept where the database's
 * writers cannot reach is what shows a deletion of the newest checkpoints. One connection of its
 * own, opened when the stream starts and closed when it ends, fails or is cancelled; the rows are
 * read on the blocking dispatcher ({@link Source#unfoldResource} runs there).
 */
public final class CheckpointSource {
  private CheckpointSource() {}

  private record Cursor(Connection connection, PreparedStatement statement, ResultSet rows) {}

  /** Every checkpoint over an ordering after {@code afterOrdering}, oldest first. */
  public static Source<Checkpoint, NotUsed> after(JournalAudit.Connections db, long afterOrdering) {
    return Source.unfoldResource(
        () -> {
          Connection c = db.open();
          try {
            c.setAutoCommit(false); // PostgreSQL streams a result only outside auto-commit
            PreparedStatement st =
                c.prepareStatement(
                    "SELECT "
                        + Checkpoints.COLUMNS
                        + " FROM hive_journal_checkpoint WHERE to_ordering > ?"
                        + " ORDER BY from_ordering");
            st.setFetchSize(Checkpoints.FETCH);
            st.setLong(1, afterOrdering);
            return new Cursor(c, st, st.executeQuery());
          } catch (java.sql.SQLException | RuntimeException e) {
            c.close();
            throw e;
          }
        },
        cursor ->
            cursor.rows().next() ? Optional.of(Checkpoints.read(cursor.rows())) : Optional.empty(),
        cursor -> {
          try (Connection c = cursor.connection()) {
            c.rollback(); // read only
          }
        });
  }
}
