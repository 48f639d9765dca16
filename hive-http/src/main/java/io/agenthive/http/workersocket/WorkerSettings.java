package io.agenthive.http.workersocket;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code hive.http.workers}: the remote worker socket's settings (its tokens are credentials:
 * {@code SecuritySettings} reads them, the guard checks them).
 */
public record WorkerSettings(
    Duration heartbeatInterval,
    Duration heartbeatTimeout,
    int maxMessageChars,
    int messagesPerSecond,
    int burst,
    int outboundBuffer) {

  public static WorkerSettings from(Config root) {
    Config c = root.getConfig("hive.http.workers");
    return new WorkerSettings(
        c.getDuration("heartbeat-interval"),
        c.getDuration("heartbeat-timeout"),
        (int) c.getMemorySize("max-message-size").toBytes(),
        c.getInt("messages-per-second"),
        c.getInt("burst"),
        c.getInt("outbound-buffer"));
  }
}
