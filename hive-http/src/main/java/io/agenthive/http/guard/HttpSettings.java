package io.agenthive.http.guard;

import com.typesafe.config.Config;

/** The API's settings, read once from {@code hive.http} (defaults in reference.conf). */
public record HttpSettings(
    String host,
    int port,
    long maxBodyBytes,
    int defaultPageSize,
    int maxPageSize,
    int maxEventStreams,
    java.time.Duration dashboardInterval,
    int dashboardRecentTasks,
    int dashboardMaxMessageChars,
    int dashboardChangeBuffer,
    int dashboardMaxConnections,
    int maxNameChars) {

  public static HttpSettings from(Config root) {
    Config c = root.getConfig("hive.http");
    return new HttpSettings(
        c.getString("host"),
        c.getInt("port"),
        c.getMemorySize("max-body-size").toBytes(),
        c.getInt("page-size.default"),
        c.getInt("page-size.max"),
        c.getInt("max-event-streams"),
        c.getDuration("dashboard.snapshot-interval"),
        c.getInt("dashboard.recent-tasks"),
        (int) c.getMemorySize("dashboard.max-message-size").toBytes(),
        c.getInt("dashboard.change-buffer"),
        c.getInt("dashboard.max-connections"),
        root.getInt("hive.limits.max-name"));
  }
}
