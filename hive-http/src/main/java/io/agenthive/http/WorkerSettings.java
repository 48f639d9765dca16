package io.agenthive.http;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code hive.http.workers}: the remote worker socket's settings. */
record WorkerSettings(List<String> tokens, Duration heartbeatInterval, Duration heartbeatTimeout,
    int maxMessageChars, int messagesPerSecond, int burst, int outboundBuffer) {

  static WorkerSettings from(Config root) {
    Config c = root.getConfig("hive.http.workers");
    List<String> tokens = new ArrayList<>(c.getStringList("tokens"));
    if (c.hasPath("token") && !c.getString("token").isBlank()) {
      tokens.add(c.getString("token"));
    }
    return new WorkerSettings(List.copyOf(tokens), c.getDuration("heartbeat-interval"),
        c.getDuration("heartbeat-timeout"), (int) c.getMemorySize("max-message-size").toBytes(),
        c.getInt("messages-per-second"), c.getInt("burst"), c.getInt("outbound-buffer"));
  }
}
