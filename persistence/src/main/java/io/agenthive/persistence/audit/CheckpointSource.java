package io.agenthive.persistence.audit;

import akka.NotUsed;
import akka.stream.javadsl.Source;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Optional;

/**
 * The signed checkpoints as a stream, for an export: a copy of them kept where the database's
 * writers cannot reach is what shows a deletion of the newest checkpoints. Read in pages of {@link
 * Checkpoints#FETCH}, each its own auto-committed query on one connection of the stream's own, so
 * no transaction stays open while the consumer is slow (PostgreSQL ends a session idle in a
 * transaction after {@code idle_in_transaction_session_timeout}). The connection opens at the first
 * pull (the stream is lazy) and closes when the stream ends, fails or is cancelled; the queries run
 * on the blocking dispatcher ({@link Source#unfoldResource} runs there).
 */
public final class CheckpointSource {
  private CheckpointSource() {}

  private static final String PAGE =
      "SELECT "
          + Checkpoints.COLUMNS
          + " FROM hive_journal_checkpoint WHERE to_ordering > ? AND to_ordering <= ?"
          + " AND from_ordering > ? ORDER BY from_ordering";

  /** The connection and the page being handed out, and where the next page starts. */
  private static final class Pages {
    final Connection connection;
    final ArrayDeque<Checkpoint> page = new ArrayDeque<>();
    long afterFrom = Long.MIN_VALUE;
    boolean last;

    Pages(Connection connection) {
      this.connection = connection;
    }
  }

  /**
   * Every checkpoint over an ordering in {@code (afterOrdering, upToOrdering]}, oldest first: one
   * that reaches past {@code afterOrdering} comes even if it starts before it (an incremental
   * export then holds every checkpoint that touches its events); one that reaches past {@code
   * upToOrdering} (the newest event the export read) does not.
   */
  public static Source<Checkpoint, NotUsed> between(
      JournalAudit.Connections db, long afterOrdering, long upToOrdering) {
    return Source.lazySource(
            () ->
                Source.unfoldResource(
                    () -> {
                      Connection c = db.open();
                      c.setAutoCommit(true);
                      return new Pages(c);
                    },
                    pages -> next(pages, afterOrdering, upToOrdering),
                    pages -> pages.connection.close()))
        .mapMaterializedValue(done -> NotUsed.getInstance());
  }

  private static Optional<Checkpoint> next(Pages pages, long afterOrdering, long upTo)
      throws SQLException {
    if (pages.page.isEmpty() && !pages.last) {
      try (PreparedStatement st = pages.connection.prepareStatement(PAGE)) {
        st.setMaxRows(Checkpoints.FETCH);
        st.setLong(1, afterOrdering);
        st.setLong(2, upTo);
        st.setLong(3, pages.afterFrom);
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            pages.page.add(Checkpoints.read(rs));
          }
        }
      }
      pages.last = pages.page.size() < Checkpoints.FETCH;
      if (!pages.page.isEmpty()) {
        pages.afterFrom = pages.page.peekLast().fromOrdering();
      }
    }
    return Optional.ofNullable(pages.page.poll());
  }
}
