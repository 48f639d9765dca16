package io.agenthive.persistence.blob;

import io.agenthive.blob.BlobStore;
import io.agenthive.blob.BlobStore.Kind;
import java.io.IOException;
import java.util.Arrays;

/**
 * Appends to one blob, holding at most one part in memory: the blob's last part (the tail), which
 * is written over in place until it is full, then the next one starts. A full part is written at
 * once; {@link #sync} writes the tail and commits, so a checkpoint may name the size it returns.
 * Opening cuts the blob back to the checkpointed size (parts after it deleted, the one straddling
 * it trimmed). Blocking, for the I/O dispatcher; one appender per blob at a time.
 */
final class JdbcAppender implements BlobStore.Appender {
  private final BlobDb db;
  private final String id;
  private final int partBytes;
  private long tailStart;
  private byte[] tail;
  private int tailLength;
  private boolean dirty;

  private JdbcAppender(BlobDb db, String id, long tailStart, byte[] tailBytes) {
    this.db = db;
    this.id = id;
    this.partBytes = db.settings().partBytes();
    this.tailStart = tailStart;
    this.tail = Arrays.copyOf(tailBytes, partBytes);
    this.tailLength = tailBytes.length;
  }

  static JdbcAppender open(BlobDb db, String id, Kind kind, String taskId, long checkpointed)
      throws IOException {
    return db.inTransaction(
        c -> {
          var existing = BlobSql.info(c, id);
          long size = existing.map(BlobStore.BlobInfo::size).orElse(0L);
          if (size < checkpointed) {
            throw new IOException(
                "blob "
                    + id
                    + " has "
                    + size
                    + " bytes, less than the checkpointed "
                    + checkpointed);
          }
          if (existing.isEmpty()) {
            BlobSql.create(c, id, kind, taskId, db.clock().instant());
          } else {
            BlobSql.truncate(c, id, checkpointed);
            BlobSql.setSize(c, id, checkpointed, false, null);
          }
          // the last part, if not full, is the tail the next appends continue
          BlobSql.PartRef last = BlobSql.lastStartingAtOrBefore(c, id, checkpointed);
          if (last != null
              && last.end() == checkpointed
              && last.size() < db.settings().partBytes()) {
            return new JdbcAppender(db, id, last.start(), BlobSql.partBytes(c, id, last.start()));
          }
          return new JdbcAppender(db, id, checkpointed, new byte[0]);
        });
  }

  @Override
  public void append(byte[] bytes) throws IOException {
    int at = 0;
    while (at < bytes.length) {
      int n = Math.min(bytes.length - at, partBytes - tailLength);
      System.arraycopy(bytes, at, tail, tailLength, n);
      tailLength += n;
      at += n;
      dirty = true;
      if (tailLength >= partBytes) {
        flushFullTail();
      }
    }
  }

  private void flushFullTail() throws IOException {
    writeTail();
    tailStart += tailLength;
    tailLength = 0;
    tail = new byte[partBytes];
  }

  private void writeTail() throws IOException {
    if (!dirty) {
      return;
    }
    byte[] bytes = Arrays.copyOf(tail, tailLength);
    long size = tailStart + tailLength;
    db.inTransaction(
        c -> {
          BlobSql.putPart(c, id, tailStart, bytes);
          BlobSql.setSize(c, id, size, false, null);
          return null;
        });
    dirty = false;
  }

  @Override
  public long sync() throws IOException {
    writeTail();
    return tailStart + tailLength;
  }

  /**
   * Syncs and marks the blob complete. An appended blob has no SHA-256 of its own: it would take
   * reading it all again, and a dataset's result lines carry each chunk's digest.
   */
  @Override
  public void close() throws IOException {
    long size = sync();
    db.inTransaction(
        c -> {
          BlobSql.setSize(c, id, size, true, null);
          return null;
        });
  }
}
