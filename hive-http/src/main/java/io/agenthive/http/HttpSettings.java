package io.agenthive.http;

import com.typesafe.config.Config;

/** The API's settings, read once from {@code hive.http} (defaults in reference.conf). */
public record HttpSettings(String host, int port, long maxBodyBytes, int defaultPageSize,
    int maxPageSize, int maxEventStreams) {

  public static HttpSettings from(Config root) {
    Config c = root.getConfig("hive.http");
    return new HttpSettings(c.getString("host"), c.getInt("port"),
        c.getMemorySize("max-body-size").toBytes(), c.getInt("page-size.default"),
        c.getInt("page-size.max"), c.getInt("max-event-streams"));
  }
}
