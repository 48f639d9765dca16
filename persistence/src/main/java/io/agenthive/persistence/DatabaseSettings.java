package io.agenthive.persistence;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Which database holds the journal (H2 file by default, or PostgreSQL), read once from {@code hive.persistence}. {@link #journalConfig}
 * turns it into the akka-persistence-jdbc settings, so the launcher and tests configure one place.
 */
public record DatabaseSettings(String kind, String url, String user, String password, int poolSize) {

  public static DatabaseSettings from(Config root) {
    Config c = root.getConfig("hive.persistence");
    String kind = c.getString("db").toLowerCase(Locale.ROOT);
    int pool = c.getInt("pool-size");
    switch (kind) {
      case "h2" -> {
        Path dir = Path.of(c.getString("data-dir")).toAbsolutePath();
        String url = "jdbc:h2:file:" + dir.resolve("hive") + c.getString("h2.options");
        return new DatabaseSettings(kind, url, "sa", "", pool);
      }
      case "postgres" -> {
        Config pg = c.getConfig("postgres");
        return new DatabaseSettings(kind, pg.getString("url"), pg.getString("user"),
            pg.getString("password"), pool);
      }
      default -> throw new IllegalArgumentException(
          "hive.persistence.db (HIVE_DB) must be \"h2\" or \"postgres\", not \"" + kind + "\"");
    }
  }

  public String slickProfile() {
    return kind.equals("postgres") ? "slick.jdbc.PostgresProfile$" : "slick.jdbc.H2Profile$";
  }

  public String driver() {
    return kind.equals("postgres") ? "org.postgresql.Driver" : "org.h2.Driver";
  }

  /** Never print the password. */
  @Override
  public String toString() {
    return "DatabaseSettings[" + kind + ", " + SchemaBootstrap.redact(url) + ", user " + user
        + ", pool " + poolSize + "]";
  }

  public String schemaResource() {
    return "hive/schema/" + kind + ".sql";
  }

  /** The shared Slick database that the journal, snapshot store and read journal all use. */
  public Config journalConfig() {
    String prefix = "akka-persistence-jdbc.shared-databases.hive.";
    return ConfigFactory.parseMap(Map.of(
        prefix + "profile", slickProfile(),
        prefix + "db.url", url,
        prefix + "db.user", user,
        prefix + "db.password", password,
        prefix + "db.driver", driver(),
        prefix + "db.numThreads", poolSize,
        prefix + "db.maxConnections", poolSize,
        prefix + "db.minConnections", 1,
        "akka.projection.jdbc.dialect", kind.equals("postgres") ? "postgres-dialect" : "h2-dialect",
        "akka.projection.jdbc.blocking-jdbc-dispatcher.thread-pool-executor.fixed-pool-size",
        poolSize));
  }
}
