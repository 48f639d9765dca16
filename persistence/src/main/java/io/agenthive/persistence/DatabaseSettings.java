package io.agenthive.persistence;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Which database holds the journal, read once from {@code hive.persistence}. {@link #journalConfig}
 * turns it into the akka-persistence-jdbc settings, so the launcher and tests configure one place.
 */
public record DatabaseSettings(String kind, String url, String user, String password, int poolSize) {

  public static DatabaseSettings from(Config root) {
    Config c = root.getConfig("hive.persistence");
    String kind = c.getString("db").toLowerCase(Locale.ROOT);
    if (!kind.equals("h2")) {
      throw new IllegalArgumentException("hive.persistence.db must be \"h2\" (got \"" + kind
          + "\"); PostgreSQL support arrives with the audit issue");
    }
    Path dir = Path.of(c.getString("data-dir")).toAbsolutePath();
    String url = "jdbc:h2:file:" + dir.resolve("hive") + c.getString("h2.options");
    return new DatabaseSettings(kind, url, "sa", "", c.getInt("pool-size"));
  }

  public String slickProfile() {
    return "slick.jdbc.H2Profile$";
  }

  public String driver() {
    return "org.h2.Driver";
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
        prefix + "db.minConnections", 1));
  }
}
