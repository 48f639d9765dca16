package io.agenthive.dataset;

import io.agenthive.blob.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Opens a dataset task's folded result (one NDJSON line per chunk, in chunk order) for appending,
 * cut back to its last checkpoint, so lines written after that checkpoint by a job that then
 * crashed are written again exactly once. Blocking: used on the I/O dispatcher.
 */
final class ResultAppender {
  private static final int COPY_BUFFER = 64 * 1024;

  private ResultAppender() {}

  /**
   * {@code exists}: whether the result blob exists. A job resumed across the upgrade to the blob
   * store has a checkpoint but no blob yet: its result so far is in the file the older version
   * wrote, and is copied over first.
   */
  static BlobStore.Appender open(
      BlobStore store, DatasetSettings settings, String taskId, long checkpointed, boolean exists)
      throws IOException {
    String id = DatasetBlobs.resultId(taskId);
    Path legacy = settings.legacyResultFile(taskId);
    if (exists || checkpointed == 0 || !Files.isRegularFile(legacy)) {
      return store.openAppender(id, BlobStore.Kind.DATASET_RESULT, taskId, checkpointed);
    }
    BlobStore.Appender appender = store.openAppender(id, BlobStore.Kind.DATASET_RESULT, taskId, 0);
    try (InputStream in = Files.newInputStream(legacy)) {
      byte[] buffer = new byte[COPY_BUFFER];
      long left = checkpointed;
      while (left > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) {
          throw new IOException(
              "result file " + legacy + " is shorter than the checkpointed " + checkpointed);
        }
        appender.append(Arrays.copyOf(buffer, n));
        left -= n;
      }
      appender.sync();
      return appender;
    } catch (IOException e) {
      appender.close();
      throw e;
    }
  }
}
