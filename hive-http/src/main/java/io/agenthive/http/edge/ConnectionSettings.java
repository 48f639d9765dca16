package io.agenthive.http.edge;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code hive.http.connections}, read once: how many connections the hub holds, from one address
 * and in all, and how long a connection may take to send a request's headers or sit silent.
 */
public record ConnectionSettings(
    int max,
    int maxPerAddress,
    Duration headerTimeout,
    Duration idleTimeout,
    Duration refusalLinger,
    int backlog) {

  public static ConnectionSettings from(Config root) {
    Config c = root.getConfig("hive.http.connections");
    ConnectionSettings s =
        new ConnectionSettings(
            c.getInt("max"),
            c.getInt("max-per-address"),
            c.getDuration("header-timeout"),
            c.getDuration("idle-timeout"),
            c.getDuration("refusal-linger"),
            c.getInt("backlog"));
    if (s.max < 1 || s.maxPerAddress < 1) {
      throw new IllegalArgumentException(
          "hive.http.connections.max and max-per-address must be 1 or more");
    }
    if (notPositive(s.headerTimeout) || notPositive(s.idleTimeout)) {
      throw new IllegalArgumentException(
          "hive.http.connections.header-timeout and idle-timeout must be longer than 0");
    }
    return s;
  }

  private static boolean notPositive(Duration d) {
    return d.isZero() || d.isNegative();
  }
}
