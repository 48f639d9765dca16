package io.agenthive.persistence;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;

/**
 * Gives a test its own empty journal database: an H2 file under a temp dir by default, or, when
 * {@code HIVE_TEST_DB=postgres} (the {@code postgres} Maven profile, run by {@code .ci/run}), a
 * fresh schema in the local PostgreSQL test database.
 */
public final class TestDatabase {
  private TestDatabase() {}

  public static boolean postgres() {
    return "postgres".equals(System.getenv("HIVE_TEST_DB"));
  }

  /** The journal plugins plus this test's database, over the test defaults. */
  public static Config config(Path dataDir) {
    Config plugins =
        ConfigFactory.parseString(
            """
        akka.persistence.journal.plugin = "jdbc-journal"
        akka.persistence.snapshot-store.plugin = "jdbc-snapshot-store"
        """);
    return plugins
        .withFallback(database(dataDir))
        .withFallback(ConfigFactory.load("application-test"));
  }

  /** An embedded H2 database in {@code dataDir} whatever the run's database (a move's source). */
  public static Config h2(Path dataDir) {
    return ConfigFactory.parseString(
            """
        akka.persistence.journal.plugin = "jdbc-journal"
        akka.persistence.snapshot-store.plugin = "jdbc-snapshot-store"
        hive.persistence.db = h2
        """)
        .withValue("hive.persistence.data-dir", ConfigValueFactory.fromAnyRef(dataDir.toString()))
        .withFallback(ConfigFactory.load("application-test"));
  }

  private static Config database(Path dataDir) {
    if (!postgres()) {
      return ConfigFactory.empty()
          .withValue(
              "hive.persistence.data-dir", ConfigValueFactory.fromAnyRef(dataDir.toString()));
    }
    String base = env("HIVE_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/hive_test");
    String user = env("HIVE_TEST_PG_USER", "hive");
    String password = env("HIVE_TEST_PG_PASSWORD", "hive");
    String schema = "t_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection c = DriverManager.getConnection(base, user, password);
        Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA " + schema);
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot create a test schema on " + base + " (is the local PostgreSQL of .ci/run up?)",
          e);
    }
    return ConfigFactory.empty()
        .withValue("hive.persistence.db", ConfigValueFactory.fromAnyRef("postgres"))
        .withValue(
            "hive.persistence.postgres.url",
            ConfigValueFactory.fromAnyRef(base + "?currentSchema=" + schema))
        .withValue("hive.persistence.postgres.user", ConfigValueFactory.fromAnyRef(user))
        .withValue("hive.persistence.postgres.password", ConfigValueFactory.fromAnyRef(password));
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
