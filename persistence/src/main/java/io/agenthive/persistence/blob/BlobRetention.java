package io.agenthive.persistence.blob;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes blobs past {@code hive.datasets.retention}: those of tasks that ended longer ago than the
 * retention (their status and end come from the read side's {@code hive_task_view}), those whose
 * task never came to be (an upload whose submission failed: no read-side row and no event in the
 * journal, so a read model being rebuilt does not make live tasks' blobs look orphaned), and
 * one-shot writes that never completed (an upload cut off by a crash), once older than the
 * retention. A running dataset's result is incomplete by design and stays while its task has not
 * ended.
 *
 * <p>Every node sweeps every {@code hive.blobs.sweep-interval}: one query over the blob table (one
 * row per blob, joined to its task's row by primary key), then the removal of each blob found (a
 * few parts per statement). Nodes sweeping at once delete the same rows twice, which is harmless.
 */
final class BlobRetention {
  private static final Logger log = LoggerFactory.getLogger(BlobRetention.class);
  private static final int PER_SWEEP = 1000;
  private static final String ENDED = "('completed', 'failed', 'cancelled')";
  private static final String EXPIRED =
      "SELECT b.blob_id FROM hive_blob b LEFT JOIN hive_task_view t ON t.task_id = b.task_id"
          + " WHERE (t.status IN "
          + ENDED
          + " AND t.completed_at_ms < ?)"
          // no read-side row is not enough: while the read model is rebuilt its tables are
          // empty, and every old blob of a live task would look orphaned; the journal decides
          + " OR (t.task_id IS NULL AND b.created_at_ms < ? AND NOT EXISTS (SELECT 1 FROM"
          + " \"event_journal\" j WHERE j.\"persistence_id\" = CONCAT('Task|', b.task_id)))"
          + " OR (b.complete = FALSE AND b.kind <> 'DATASET_RESULT' AND b.created_at_ms < ?)"
          + " LIMIT "
          + PER_SWEEP;

  private final BlobDb db;

  BlobRetention(BlobDb db) {
    this.db = db;
  }

  /** One sweep; returns how many blobs it removed. Blocking, for the blob dispatcher. */
  int sweep() throws IOException {
    long cutoff = db.clock().millis() - db.settings().retention().toMillis();
    List<String> expired =
        db.inTransaction(
            c -> {
              List<String> ids = new ArrayList<>();
              try (PreparedStatement st = c.prepareStatement(EXPIRED)) {
                for (int i = 1; i <= 3; i++) {
                  st.setLong(i, cutoff);
                }
                try (ResultSet rs = st.executeQuery()) {
                  while (rs.next()) {
                    ids.add(rs.getString(1));
                  }
                }
              }
              return ids;
            });
    for (String id : expired) {
      BlobRemoval.remove(db, id);
    }
    if (!expired.isEmpty()) {
      log.info(
          "Removed {} blob(s) past hive.datasets.retention ({})",
          expired.size(),
          db.settings().retention());
    }
    return expired.size();
  }

  /** A sweep for the scheduler: a failure is logged and the next sweep tries again. */
  void sweepQuietly() {
    try {
      sweep();
    } catch (IOException | RuntimeException e) {
      log.warn("Blob retention sweep failed; the next one tries again: {}", e.toString());
    }
  }
}
