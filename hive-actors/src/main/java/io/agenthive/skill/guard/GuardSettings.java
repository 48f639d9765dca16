package io.agenthive.skill.guard;

import com.typesafe.config.Config;
import java.time.Duration;

/** {@code hive.skills.endpoint-guard}: the defaults every external endpoint is guarded with. */
public record GuardSettings(
    int maxFailures,
    Duration callTimeout,
    Duration resetTimeout,
    double requestsPerSecond,
    Duration maxQueueWait) {

  public static GuardSettings from(Config root) {
    Config c = root.getConfig("hive.skills.endpoint-guard");
    return new GuardSettings(
        c.getInt("max-failures"),
        c.getDuration("call-timeout"),
        c.getDuration("reset-timeout"),
        c.getDouble("requests-per-second"),
        c.getDuration("max-queue-wait"));
  }

  public GuardSettings withCallTimeout(Duration timeout) {
    return new GuardSettings(maxFailures, timeout, resetTimeout, requestsPerSecond, maxQueueWait);
  }

  public GuardSettings withRequestsPerSecond(double rate) {
    return new GuardSettings(maxFailures, callTimeout, resetTimeout, rate, maxQueueWait);
  }
}
