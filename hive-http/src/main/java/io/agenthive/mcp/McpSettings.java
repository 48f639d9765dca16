package io.agenthive.mcp;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code hive.mcp}: how the MCP servers poll the hub and how many sessions and watches they keep.
 */
public record McpSettings(
    Duration pollInterval,
    Duration callTimeout,
    Duration sessionIdle,
    int maxSessions,
    int maxSessionsPerPrincipal,
    int maxWatched) {

  public static McpSettings from(Config root) {
    Config c = root.getConfig("hive.mcp");
    return new McpSettings(
        c.getDuration("poll-interval"),
        c.getDuration("call-timeout"),
        c.getDuration("session-idle"),
        c.getInt("max-sessions"),
        c.getInt("max-sessions-per-principal"),
        c.getInt("max-watched"));
  }
}
