package io.agenthive.persistence.blob;

import java.io.IOException;

/**
 * Removes a blob a few parts per transaction (about 4 MiB each), its row last: a blob of any size
 * is removed in bounded memory (H2 holds what a transaction deletes until it commits), and a
 * removal cut short by a crash leaves the row, so the next removal (or retention sweep) finishes
 * it. Blocking, for the blob dispatcher.
 */
final class BlobRemoval {
  private static final int BATCH_BYTES = 4 * 1024 * 1024;

  private BlobRemoval() {}

  static void remove(BlobDb db, String id) throws IOException {
    int batch = Math.max(1, BATCH_BYTES / db.settings().partBytes());
    while (db.inTransaction(c -> BlobSql.deleteParts(c, id, batch)) > 0) {
      // the next few parts
    }
    db.inTransaction(
        c -> {
          BlobSql.deleteRow(c, id);
          return null;
        });
  }
}
