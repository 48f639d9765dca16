package io.agenthive.persistence.retention;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code hive.retention}: after how long a finished task leaves the lists ({@code null}: never, the
 * default), where archives are written, how often and how many, and whether its events then leave
 * the journal too ({@code deleteEvents}, off by default).
 */
public record RetentionSettings(
    Duration finishedTasksAfter,
    Path archiveDir,
    Duration sweepInterval,
    int perSweep,
    boolean deleteEvents) {

  public static RetentionSettings from(Config root) {
    Config c = root.getConfig("hive.retention");
    String after = c.getString("finished-tasks-after").trim();
    Duration period = after.equalsIgnoreCase("off") ? null : c.getDuration("finished-tasks-after");
    if (period != null && (period.isNegative() || period.isZero())) {
      throw new IllegalArgumentException(
          "hive.retention.finished-tasks-after must be a positive duration or off, not " + after);
    }
    return new RetentionSettings(
        period,
        Path.of(c.getString("archive-dir")),
        c.getDuration("sweep-interval"),
        Math.max(1, c.getInt("per-sweep")),
        c.getBoolean("delete-events"));
  }

  public boolean enabled() {
    return finishedTasksAfter != null;
  }
}
