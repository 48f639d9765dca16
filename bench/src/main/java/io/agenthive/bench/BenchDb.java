package io.agenthive.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.agenthive.persistence.DatabaseSettings;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A fresh, empty journal database for one measurement: an H2 file in a new temp dir, or a new
 * schema in a local PostgreSQL (when one answers; {@code deploy/postgres/local-test-db.sh} starts
 * one), dropped afterwards.
 */
final class BenchDb implements AutoCloseable {
  private final String kind;
  private final Config overrides;
  private final Map<String, String> env;
  private final Runnable cleanup;

  private BenchDb(String kind, Config overrides, Map<String, String> env, Runnable cleanup) {
    this.kind = kind;
    this.overrides = overrides;
    this.env = env;
    this.cleanup = cleanup;
  }

  static final String PG_URL =
      envOr("HIVE_BENCH_PG_URL", "jdbc:postgresql://127.0.0.1:5432/hive_test");
  static final String PG_USER = envOr("HIVE_BENCH_PG_USER", "hive");
  static final String PG_PASSWORD = envOr("HIVE_BENCH_PG_PASSWORD", "hive");

  static BenchDb h2() throws Exception {
    Path dir = Files.createTempDirectory("hive-bench-");
    return new BenchDb(
        "h2",
        ConfigFactory.empty()
            .withValue("hive.persistence.db", ConfigValueFactory.fromAnyRef("h2"))
            .withValue("hive.persistence.data-dir", ConfigValueFactory.fromAnyRef(dir.toString())),
        Map.of("HIVE_DB", "h2", "HIVE_DATA_DIR", dir.toString()),
        () -> deleteQuietly(dir));
  }

  static boolean postgresAvailable() {
    try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, PG_PASSWORD)) {
      return c.isValid(5);
    } catch (SQLException e) {
      return false;
    }
  }

  static Optional<BenchDb> postgres() throws Exception {
    if (!postgresAvailable()) {
      return Optional.empty();
    }
    String schema = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    execute("CREATE SCHEMA " + schema);
    String url = PG_URL + "?currentSchema=" + schema;
    // the hub's own files (first admin key, token signing key) beside the schema, not in ./data
    Path dir = Files.createTempDirectory("hive-bench-pg-");
    return Optional.of(
        new BenchDb(
            "postgres",
            ConfigFactory.empty()
                .withValue("hive.persistence.db", ConfigValueFactory.fromAnyRef("postgres"))
                .withValue("hive.persistence.postgres.url", ConfigValueFactory.fromAnyRef(url))
                .withValue("hive.persistence.postgres.user", ConfigValueFactory.fromAnyRef(PG_USER))
                .withValue(
                    "hive.persistence.postgres.password",
                    ConfigValueFactory.fromAnyRef(PG_PASSWORD)),
            Map.of(
                "HIVE_DB",
                "postgres",
                "HIVE_DB_URL",
                url,
                "HIVE_DB_USER",
                PG_USER,
                "HIVE_DB_PASSWORD",
                PG_PASSWORD,
                "HIVE_DATA_DIR",
                dir.toString()),
            () -> {
              deleteQuietly(dir);
              try {
                execute("DROP SCHEMA " + schema + " CASCADE");
              } catch (SQLException e) {
                System.err.println("bench: could not drop schema " + schema + ": " + e);
              }
            }));
  }

  String kind() {
    return kind;
  }

  /** This database over the harness's config (the root application.conf). */
  Config config(Config base) {
    return overrides.withFallback(base);
  }

  /** The same database for a child hub process, as the environment variables it reads. */
  Map<String, String> env() {
    return env;
  }

  Connection connect(Config base) throws SQLException {
    DatabaseSettings db = DatabaseSettings.from(config(base));
    Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
    c.setAutoCommit(false);
    return c;
  }

  /**
   * Returns once no connection of this JVM holds the embedded file any more, so that a child hub
   * can open it: a hub run in this JVM ends its actor system before its pools have all let go of
   * the file, and a child started in that moment exits ("in use by another process"). In this JVM a
   * lock H2 still holds makes {@code tryLock} throw instead of waiting. Nothing to wait for on
   * PostgreSQL.
   */
  void awaitReleased() throws Exception {
    if (!kind.equals("h2")) {
      return;
    }
    Path file = Path.of(env.get("HIVE_DATA_DIR"), "hive.mv.db");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (Files.exists(file) && !unlocked(file)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(file + " is still held by this JVM after 60 s");
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // polls a condition, not a pause
    }
  }

  /**
   * Closing this channel would drop H2's lock at the system's level, locks being the process's:
   * harmless, as no child starts until this JVM's own lock table shows H2 gone.
   */
  private static boolean unlocked(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock()) {
      return lock != null;
    } catch (OverlappingFileLockException held) {
      return false;
    }
  }

  @Override
  public void close() {
    cleanup.run();
  }

  private static void execute(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, PG_PASSWORD);
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (Exception e) {
      System.err.println("bench: could not delete " + dir + ": " + e);
    }
  }

  private static String envOr(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
