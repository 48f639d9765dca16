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
    int maxStreamsPerCaller,
    int maxPushConfigsPerTask,
    int maxPushTasks,
    int maxPushTasksPerCaller,
    Duration maxPushWatch,
    Duration pushTimeout,
    Duration cardCache,
    boolean cardListsCapabilities) {

  public static A2aSettings from(Config root) {
    Config c = root.getConfig("hive.a2a");
    return new A2aSettings(
        c.getString("public-url").strip().replaceAll("/+$", ""),
        c.getDuration("poll-interval"),
        c.getDuration("call-timeout"),
        c.getDuration("max-blocking-wait"),
        c.getDuration("max-stream"),
        c.getInt("max-streams"),
        c.getInt("max-streams-per-caller"),
        c.getInt("max-push-configs-per-task"),
        c.getInt("max-push-tasks"),
        c.getInt("max-push-tasks-per-caller"),
        c.getDuration("max-push-watch"),
        c.getDuration("push-timeout"),
        c.getDuration("card-cache"),
        c.getBoolean("card-lists-capabilities"));
  }
}
