package io.agenthive.dataset;

import java.util.UUID;

/**
 * The blobs of dataset tasks: an upload gets an id of its own (a retried upload with the same
 * idempotency key must not overwrite the first one, which a running task may be reading); a
 * result's id is derived from its task's, so a resumed job, the result route and the retention
 * sweep all find it.
 */
public final class DatasetBlobs {
  private DatasetBlobs() {}

  public static String newUploadId() {
    return "upload-" + UUID.randomUUID();
  }

  public static String resultId(String taskId) {
    return "result-" + taskId;
  }
}
