package io.agenthive.dataset;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A dataset task's folded result: one NDJSON line per chunk, in chunk order, on disk. Opening
 * truncates it to the last checkpoint's length, so lines written after that checkpoint (by a job
 * that then crashed) are written again exactly once. Blocking: used on the I/O dispatcher.
 */
final class ResultFile implements AutoCloseable {
  private final FileChannel channel;
  private long size;

  private ResultFile(FileChannel channel, long size) {
    this.channel = channel;
    this.size = size;
  }

  static ResultFile open(Path file, long checkpointed) throws IOException {
    Files.createDirectories(file.getParent());
    FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    if (channel.size() < checkpointed) {
      channel.close();
      throw new IOException(
          "result file "
              + file
              + " has "
              + channel.size()
              + " bytes, less than the checkpointed "
              + checkpointed);
    }
    channel.truncate(checkpointed);
    return new ResultFile(channel, checkpointed);
  }

  void append(byte[] line) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(line);
    while (buffer.hasRemaining()) {
      size += channel.write(buffer, size);
    }
  }

  /** Makes everything appended so far durable; a checkpoint may then name {@link #size}. */
  long sync() throws IOException {
    channel.force(false);
    return size;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
