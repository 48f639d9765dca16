package io.agenthive.persistence.blob;

import akka.japi.Pair;
import akka.stream.javadsl.Flow;
import akka.stream.javadsl.Keep;
import akka.stream.javadsl.Sink;
import akka.util.ByteString;
import io.agenthive.blob.BlobStore.BlobInfo;
import io.agenthive.blob.BlobStore.BlobTooLarge;
import io.agenthive.blob.BlobStore.Kind;
import io.agenthive.blob.BlobStore.StoreFull;
import io.agenthive.common.Failures;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One streamed write: the bytes are cut into parts of {@code part-size}, and each part is inserted
 * (with the blob's new size, in one transaction) as soon as it is full, one at a time; the SHA-256
 * is computed on the way. So the heap holds at most the part being filled and the part being
 * inserted, whatever the blob's size. Both limits are checked before each part: the writer's {@code
 * maxBytes}, and the store's total, read again every {@code total-recheck} bytes (between two reads
 * a writer counts its own bytes, so concurrent writers may pass the total by at most that much
 * each). A failed write removes what it wrote.
 */
final class BlobWriter {
  private final BlobDb db;
  private final String id;
  private final Kind kind;
  private final String taskId;
  private final long maxBytes;
  private final MessageDigest sha = sha256();
  private Instant createdAt;
  private long written;
  private long others;
  private long sinceRecheck;

  private BlobWriter(BlobDb db, String id, Kind kind, String taskId, long maxBytes) {
    this.db = db;
    this.id = id;
    this.kind = kind;
    this.taskId = taskId;
    this.maxBytes = maxBytes;
  }

  static Sink<ByteString, CompletionStage<BlobInfo>> sink(
      BlobDb db, String id, Kind kind, String taskId, long maxBytes) {
    int partBytes = db.settings().partBytes();
    return Sink.<ByteString, CompletionStage<BlobInfo>>fromMaterializer(
            (mat, attributes) -> {
              // one writer per materialization: its state is this stream's alone
              BlobWriter writer = new BlobWriter(db, id, kind, taskId, maxBytes);
              return Flow.of(ByteString.class)
                  .statefulMap(
                      ByteString::emptyByteString,
                      (pending, bytes) -> cut(pending.concat(bytes), partBytes),
                      pending ->
                          pending.isEmpty()
                              ? Optional.empty()
                              : Optional.of(List.of(pending.compact())))
                  .mapConcat(parts -> parts)
                  .mapAsync(1, part -> db.onDispatcher(() -> writer.add(part)))
                  .toMat(Sink.ignore(), Keep.right())
                  .mapMaterializedValue(done -> writer.ended(done));
            })
        .mapMaterializedValue(started -> started.thenCompose(info -> info));
  }

  /** The full parts in {@code bytes}, and what is left for the next part. */
  private static Pair<ByteString, List<ByteString>> cut(ByteString bytes, int partBytes) {
    List<ByteString> full = new ArrayList<>();
    ByteString rest = bytes;
    while (rest.size() >= partBytes) {
      full.add(rest.take(partBytes).compact());
      rest = rest.drop(partBytes);
    }
    return Pair.create(rest, full);
  }

  /** Inserts one part (with the blob's new size) in one transaction; the first makes the row. */
  private long add(ByteString part) throws IOException {
    if (createdAt == null) {
      start();
    }
    long next = written + part.size();
    if (next > maxBytes) {
      throw new BlobTooLarge(id, maxBytes);
    }
    byte[] bytes = part.toArrayUnsafe();
    long limit = db.settings().maxTotalBytes();
    db.inTransaction(
        c -> {
          if (sinceRecheck >= db.settings().totalRecheckBytes()) {
            others = BlobSql.total(c) - written;
            sinceRecheck = 0;
          }
          if (others + next > limit) {
            throw new StoreFull(others + written, limit);
          }
          BlobSql.insertPart(c, id, written, bytes);
          BlobSql.setSize(c, id, next, false, null);
          return null;
        });
    sha.update(bytes);
    written = next;
    sinceRecheck += bytes.length;
    return next;
  }

  /** Replaces any blob of this id (one a crash left unfinished) with a new, empty one. */
  private void start() throws IOException {
    BlobRemoval.remove(db, id);
    // what the table keeps: its BlobInfo then equals the one info() reads back
    Instant at = db.clock().instant().truncatedTo(ChronoUnit.MILLIS);
    others =
        db.inTransaction(
            c -> {
              BlobSql.create(c, id, kind, taskId, at);
              return BlobSql.total(c);
            });
    createdAt = at;
  }

  private CompletionStage<BlobInfo> ended(CompletionStage<?> streamed) {
    return streamed
        .thenCompose(done -> db.onDispatcher(this::finish))
        .exceptionallyCompose(
            error ->
                db.onDispatcher(
                        () -> {
                          BlobRemoval.remove(db, id);
                          return null;
                        })
                    .handle((removed, ignored) -> null)
                    .thenCompose(v -> CompletableFuture.failedFuture(Failures.cause(error))));
  }

  private BlobInfo finish() throws IOException {
    if (createdAt == null) {
      start(); // nothing was streamed: an empty blob
    }
    String digest = HexFormat.of().formatHex(sha.digest());
    db.inTransaction(
        c -> {
          BlobSql.setSize(c, id, written, true, digest);
          return null;
        });
    return new BlobInfo(id, kind, taskId, written, digest, true, createdAt);
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
