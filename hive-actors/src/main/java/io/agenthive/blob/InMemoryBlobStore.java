package io.agenthive.blob;

import akka.Done;
import akka.NotUsed;
import akka.actor.typed.ActorSystem;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Blobs in this JVM's heap: for hubs without a database (tests), where nothing outlives the process
 * anyway. Bounded like the database store: per write, and in total by {@code
 * hive.datasets.max-total-bytes}.
 */
final class InMemoryBlobStore implements BlobStore {
  private record Blob(Kind kind, String taskId, ByteString bytes, boolean complete, Instant at) {}

  private final Map<String, Blob> blobs = new ConcurrentHashMap<>();
  private final long maxTotal;

  InMemoryBlobStore(ActorSystem<?> system) {
    this.maxTotal = system.settings().config().getBytes("hive.datasets.max-total-bytes");
  }

  @Override
  public Sink<ByteString, CompletionStage<BlobInfo>> write(
      String id, Kind kind, String taskId, long maxBytes) {
    return Sink.<ByteString, ByteString>fold(
            ByteString.emptyByteString(),
            (acc, next) -> {
              ByteString all = acc.concat(next);
              if (all.size() > maxBytes) {
                throw new BlobTooLarge(id, maxBytes);
              }
              long held = total() + all.size();
              if (held > maxTotal) {
                throw new StoreFull(held, maxTotal);
              }
              return all;
            })
        .mapMaterializedValue(
            done ->
                done.thenApply(
                    bytes -> {
                      blobs.put(id, new Blob(kind, taskId, bytes, true, Instant.now()));
                      return describe(id, blobs.get(id));
                    }));
  }

  @Override
  public Source<ByteString, NotUsed> read(String id, long offset, long length) {
    Blob blob = blobs.get(id);
    if (blob == null) {
      return Source.failed(new BlobMissing(id));
    }
    return Source.single(slice(blob.bytes(), offset, length));
  }

  @Override
  public byte[] readRange(String id, long offset, int length) throws IOException {
    Blob blob = blobs.get(id);
    if (blob == null) {
      throw new BlobMissing(id);
    }
    return slice(blob.bytes(), offset, length).toArray();
  }

  @Override
  public CompletionStage<Optional<BlobInfo>> info(String id) {
    Blob blob = blobs.get(id);
    return CompletableFuture.completedFuture(
        blob == null ? Optional.empty() : Optional.of(describe(id, blob)));
  }

  @Override
  public Appender openAppender(String id, Kind kind, String taskId, long checkpointed)
      throws IOException {
    Blob existing = blobs.get(id);
    ByteString kept = existing == null ? ByteString.emptyByteString() : existing.bytes();
    if (kept.size() < checkpointed) {
      throw new IOException(
          "blob "
              + id
              + " has "
              + kept.size()
              + " bytes, less than the checkpointed "
              + checkpointed);
    }
    blobs.put(id, new Blob(kind, taskId, kept.take((int) checkpointed), false, Instant.now()));
    return new Appender() {
      @Override
      public void append(byte[] bytes) {
        blobs.computeIfPresent(
            id,
            (k, b) ->
                new Blob(
                    kind, taskId, b.bytes().concat(ByteString.fromArray(bytes)), false, b.at()));
      }

      @Override
      public long sync() {
        return blobs.get(id).bytes().size();
      }

      @Override
      public void close() {
        blobs.computeIfPresent(id, (k, b) -> new Blob(kind, taskId, b.bytes(), true, b.at()));
      }
    };
  }

  @Override
  public CompletionStage<Done> delete(String id) {
    blobs.remove(id);
    return CompletableFuture.completedFuture(Done.getInstance());
  }

  @Override
  public CompletionStage<Long> totalBytes() {
    return CompletableFuture.completedFuture(total());
  }

  private long total() {
    return blobs.values().stream().mapToLong(b -> b.bytes().size()).sum();
  }

  private static ByteString slice(ByteString bytes, long offset, long length) {
    int from = (int) Math.min(offset, bytes.size());
    int to = length < 0 ? bytes.size() : (int) Math.min(bytes.size(), offset + length);
    return bytes.slice(from, to);
  }

  private static BlobInfo describe(String id, Blob blob) {
    return new BlobInfo(
        id,
        blob.kind(),
        blob.taskId(),
        blob.bytes().size(),
        sha256(blob.bytes()),
        blob.complete(),
        blob.at());
  }

  static String sha256(ByteString bytes) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(bytes.toArrayUnsafe());
      return HexFormat.of().formatHex(d.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
