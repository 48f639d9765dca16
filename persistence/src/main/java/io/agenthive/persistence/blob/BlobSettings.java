package io.agenthive.persistence.blob;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code hive.blobs} and the two dataset limits the store enforces, read once: how large a part is,
 * how many connections and threads the store may use, how often it sweeps, how long blobs of ended
 * tasks are kept ({@code hive.datasets.retention}) and how much it may hold in all ({@code
 * hive.datasets.max-total-bytes}).
 */
record BlobSettings(
    int partBytes,
    int poolSize,
    long maxTotalBytes,
    long totalRecheckBytes,
    Duration retention,
    Duration sweepInterval,
    String dispatcher) {

  static final String DISPATCHER = "hive.blobs.dispatcher";

  static BlobSettings from(Config root) {
    Config c = root.getConfig("hive.blobs");
    long part = c.getBytes("part-size");
    if (part < 1024 || part > 16 * 1024 * 1024) {
      throw new IllegalArgumentException(
          "hive.blobs.part-size must be between 1KiB and 16MiB, not " + part + " bytes");
    }
    return new BlobSettings(
        (int) part,
        c.getInt("pool-size"),
        root.getBytes("hive.datasets.max-total-bytes"),
        c.getBytes("total-recheck"),
        root.getDuration("hive.datasets.retention"),
        c.getDuration("sweep-interval"),
        DISPATCHER);
  }

  /** Parts read per query: about 1 MiB, so a page is one round trip and bounded memory. */
  int partsPerPage() {
    return Math.max(1, (1024 * 1024) / partBytes);
  }
}
