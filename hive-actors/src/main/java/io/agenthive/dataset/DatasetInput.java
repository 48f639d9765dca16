package io.agenthive.dataset;

import akka.stream.ActorAttributes;
import akka.stream.javadsl.FileIO;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import io.agenthive.blob.BlobStore;
import io.agenthive.task.DatasetSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Where a dataset's bytes are read: the blob store for an upload ({@code blob:<id>}, the same from
 * every node), or a file on the server, read where it is (a path in an allowed directory, or an
 * upload an older version stored as a file). The job scans it as a stream from its checkpoint; an
 * agent reads one chunk's range. {@link #readRange} blocks: callers run it on the datasets I/O
 * dispatcher.
 */
sealed interface DatasetInput {

  static DatasetInput of(String path, BlobStore blobs, DatasetSettings settings) {
    String blobId = DatasetSpec.blobIdOf(path);
    return blobId != null ? new Blob(blobs, blobId) : new File(Path.of(path), settings);
  }

  /** The input's size; fails with {@link Missing} when there is nothing the hub may read. */
  CompletionStage<Long> size(Executor io);

  /** Bytes {@code [offset, offset + length)}, shorter at the input's end. */
  byte[] readRange(long offset, int length) throws IOException;

  /** The bytes from {@code offset} to the end. */
  Source<ByteString, ?> from(long offset);

  /** The input is gone or may not be read (the message says which input). */
  final class Missing extends IOException {
    Missing(String message) {
      super(message);
    }
  }

  record Blob(BlobStore store, String id) implements DatasetInput {
    @Override
    public CompletionStage<Long> size(Executor io) {
      return store
          .info(id)
          .thenApply(
              info ->
                  info.filter(BlobStore.BlobInfo::complete)
                      .map(BlobStore.BlobInfo::size)
                      .orElseThrow(
                          () ->
                              new UncheckedIOException(
                                  new Missing(
                                      "the uploaded input is gone (uploads are removed"
                                          + " hive.datasets.retention after their task ended)"))));
    }

    @Override
    public byte[] readRange(long offset, int length) throws IOException {
      return store.readRange(id, offset, length);
    }

    @Override
    public Source<ByteString, ?> from(long offset) {
      return store.read(id, offset, -1);
    }
  }

  record File(Path path, DatasetSettings settings) implements DatasetInput {
    @Override
    public CompletionStage<Long> size(Executor io) {
      return CompletableFuture.supplyAsync(
          () -> {
            try {
              if (!Files.isRegularFile(path) || !settings.mayRead(path)) {
                throw new Missing("dataset input " + path + " is missing or not readable");
              }
              return Files.size(path);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          },
          io);
    }

    @Override
    public byte[] readRange(long offset, int length) throws IOException {
      if (!settings.mayRead(path)) {
        throw new Missing("dataset file " + path + " is not readable by the hub");
      }
      byte[] bytes = new byte[length];
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
        while (buffer.hasRemaining()) {
          if (channel.read(buffer, offset + buffer.position()) < 0) {
            break; // the file is shorter now: a chunk's digest check reports it
          }
        }
      }
      return buffer.hasRemaining() ? Arrays.copyOf(bytes, buffer.position()) : bytes;
    }

    @Override
    public Source<ByteString, ?> from(long offset) {
      return FileIO.fromPath(path, settings.readBufferBytes(), offset)
          .withAttributes(ActorAttributes.dispatcher(settings.ioDispatcher()));
    }
  }
}
