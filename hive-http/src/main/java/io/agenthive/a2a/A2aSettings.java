package io.agenthive.a2a;

import com.typesafe.config.Config;
import java.time.Duration;

/** {@code hive.a2a}: how the A2A server follows tasks and how much it keeps. */
public record A2aSettings(
    String publicUrl,
    Duration pollInterval,
    Duration callTimeout,
    Duration maxBlockingWait,
    Duration maxStream,
    int maxStreams,
    int maxPushConfigsPerTask,
    int maxPushTasks,
    Duration pushTimeout) {

  public static A2aSettings from(Config root) {
    Config c = root.getConfig("hive.a2a");
    return new A2aSettings(
        c.getString("public-url").strip().replaceAll("/+$", ""),
        c.getDuration("poll-interval"),
        c.getDuration("call-timeout"),
        c.getDuration("max-blocking-wait"),
        c.getDuration("max-stream"),
        c.getInt("max-streams"),
        c.getInt("max-push-configs-per-task"),
        c.getInt("max-push-tasks"),
        c.getDuration("push-timeout"));
  }
}
