package io.agenthive.blob;

import akka.Done;
import akka.NotUsed;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Bytes kept beside the journal, readable from every node: dataset uploads, datasets' folded
 * results, and task outputs too large to travel inside an event. The journal keeps references (an
 * id, a size, a SHA-256), never these bytes. On a hub with a database the store is a table of the
 * same database (so a cluster needs nothing shared but PostgreSQL); hubs without one (tests) keep
 * blobs in memory. Chosen by {@code hive.blobs.store} ({@link BlobStores}).
 *
 * <p>Every write is bounded while it streams in: past its own {@code maxBytes} it fails with {@link
 * BlobTooLarge}, and past the store's total limit with {@link StoreFull}; either way what was
 * written of it is removed.
 */
public interface BlobStore {
  /** What a blob holds: retention and the totals treat kinds alike, listings name them. */
  enum Kind {
    UPLOAD,
    DATASET_RESULT,
    OUTPUT
  }

  /** A blob's description; {@code complete} is false while it is being written or appended. */
  record BlobInfo(
      String id,
      Kind kind,
      String taskId,
      long size,
      String sha256,
      boolean complete,
      Instant createdAt) {}

  /**
   * Streams bytes into a new blob {@code id} (one left unfinished by a crash is replaced). The
   * stage completes once every byte is durable, with the blob's size and SHA-256.
   */
  Sink<ByteString, CompletionStage<BlobInfo>> write(
      String id, Kind kind, String taskId, long maxBytes);

  /**
   * Bytes {@code [offset, offset + length)} of blob {@code id} ({@code length < 0}: to its end),
   * read a part at a time. Fails with {@link BlobMissing} when there is no such blob.
   */
  Source<ByteString, NotUsed> read(String id, long offset, long length);

  /**
   * The same range read at once, for a caller already on an I/O dispatcher that needs it whole (a
   * dataset chunk, at most its chunk size). Blocking. Shorter than asked at the blob's end.
   */
  byte[] readRange(String id, long offset, int length) throws IOException;

  CompletionStage<Optional<BlobInfo>> info(String id);

  /**
   * An appendable blob (a dataset's folded result), opened at {@code checkpointed} bytes: what a
   * crashed writer appended after its last checkpoint is cut, so it is written again exactly once.
   * Blocking, for the I/O dispatcher.
   */
  Appender openAppender(String id, Kind kind, String taskId, long checkpointed) throws IOException;

  /** Appends to one blob; {@link #sync} makes everything appended so far durable. */
  interface Appender extends AutoCloseable {
    void append(byte[] bytes) throws IOException;

    /** Makes every appended byte durable and returns the blob's size: a checkpoint may name it. */
    long sync() throws IOException;

    @Override
    void close() throws IOException;
  }

  /** Removes the blob if it exists. */
  CompletionStage<Done> delete(String id);

  /** Bytes held by every blob together: what {@code hive.datasets.max-total-bytes} bounds. */
  CompletionStage<Long> totalBytes();

  /** A blob grew past the bound its writer gave. */
  final class BlobTooLarge extends IOException {
    public final long limit;

    public BlobTooLarge(String id, long limit) {
      super("blob " + id + " is larger than its limit of " + limit + " bytes");
      this.limit = limit;
    }
  }

  /** The store as a whole holds its limit: nothing more is taken until something is freed. */
  final class StoreFull extends IOException {
    public final long held;
    public final long limit;

    public StoreFull(long held, long limit) {
      super("the blob store holds " + held + " bytes of its " + limit + "-byte limit");
      this.held = held;
      this.limit = limit;
    }
  }

  /** There is no blob of that id (never written, or removed by retention). */
  final class BlobMissing extends IOException {
    public BlobMissing(String id) {
      super("blob " + id + " does not exist");
    }
  }
}
