package io.agenthive.persistence;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which database holds the journal (H2 file by default, or PostgreSQL), read once from {@code
 * hive.persistence}. {@link #journalConfig} turns it into the akka-persistence-jdbc settings, so
 * the launcher and tests configure one place. Writes (journal, snapshots, recoveries) and reads
 * (the event feed, the projection's journal queries) have separate pools, so a long read never
 * holds up a write; the read side's own tables have a third ({@link #readSidePoolSize}).
 */
public record DatabaseSettings(
    String kind,
    String url,
    String user,
    String password,
    int poolSize,
    int readPoolSize,
    int readSidePoolSize) {

  public static DatabaseSettings from(Config root) {
    Config c = root.getConfig("hive.persistence");
    String kind = c.getString("db").toLowerCase(Locale.ROOT);
    int pool = c.getInt("pool-size");
    int reads = c.getInt("read-pool-size");
    int readSide = c.getInt("read-side-pool-size");
    switch (kind) {
      case "h2" -> {
        Path dir = Path.of(c.getString("data-dir")).toAbsolutePath();
        String url = "jdbc:h2:file:" + dir.resolve("hive") + c.getString("h2.options");
        return new DatabaseSettings(kind, url, "sa", "", pool, reads, readSide);
      }
      case "postgres" -> {
        Config pg = c.getConfig("postgres");
        String url =
            idleTransactionsEnd(
                batchedInserts(pg.getString("url")), pg.getDuration("idle-in-transaction-timeout"));
        return new DatabaseSettings(
            kind, url, pg.getString("user"), pg.getString("password"), pool, reads, readSide);
      }
      default ->
          throw new IllegalArgumentException(
              "hive.persistence.db (HIVE_DB) must be \"h2\" or \"postgres\", not \"" + kind + "\"");
    }
  }

  /**
   * The PostgreSQL driver sends a JDBC batch as one multi-row INSERT only when asked to; the
   * journal writes its events in batches, so ask (unless the URL already says).
   */
  static String batchedInserts(String url) {
    if (url.contains("reWriteBatchedInserts")) {
      return url;
    }
    return url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
  }

  /**
   * A node frozen or cut off in the middle of a transaction holds its locks: another node's write
   * of the same entity's next event would wait on the unique index for ever, and a journal batch
   * with it, until the journal's circuit breaker opens for everyone. PostgreSQL ends such sessions
   * after {@code timeout} idle inside a transaction, so the waiting write goes through. Ours send
   * their statements back to back; the longest gap, the matcher's backlog read folding 1,000 events
   * between two queries, takes milliseconds (and is retried if ever cut). Unless the URL already
   * sets session options.
   */
  static String idleTransactionsEnd(String url, Duration timeout) {
    if (url.contains("options=") || timeout.isZero()) {
      return url;
    }
    return url + "&options=-c%20idle_in_transaction_session_timeout%3D" + timeout.toMillis();
  }

  /** A connection of its own, for the rare callers that need no pool (audit, quarantine). */
  public java.sql.Connection connect() throws java.sql.SQLException {
    return java.sql.DriverManager.getConnection(url(), user(), password());
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
    return "DatabaseSettings["
        + kind
        + ", "
        + SchemaBootstrap.redact(url)
        + ", user "
        + user
        + ", pools "
        + poolSize
        + "/"
        + readPoolSize
        + "/"
        + readSidePoolSize
        + "]";
  }

  public String schemaResource() {
    return "hive/schema/" + kind + ".sql";
  }

  /**
   * The blob store on this database. By name: the class lives in a package that depends on this one
   * (JdbcBlobStoreTest checks the name).
   */
  static final String BLOB_STORE = "io.agenthive.persistence.blob.JdbcBlobStore";

  /** The subjects' key store on this database (by name, as the blob store). */
  static final String SUBJECT_KEYS = "io.agenthive.persistence.subject.JdbcSubjectKeys";

  /**
   * Two shared Slick databases: {@code hive} for the journal and snapshot store (writes and
   * recoveries), {@code hive-read} for the read journal (live and bulk journal queries); and the
   * blob store in the same database, so uploads and results are readable from every node.
   */
  public Config journalConfig() {
    Map<String, Object> m = new HashMap<>();
    m.put("hive.blobs.store", BLOB_STORE);
    m.put("hive.subjects.key-store", SUBJECT_KEYS);
    shared(m, "hive", poolSize);
    shared(m, "hive-read", readPoolSize);
    // opened when the node starts (HiveNode loads the extension that starts them), not by the
    // first entity on it: in a cluster that first entity is often a task placed on a node that has
    // just started, after a failover (docs/cluster.md)
    m.put("akka.persistence.journal.auto-start-journals", List.of("jdbc-journal"));
    m.put(
        "akka.persistence.snapshot-store.auto-start-snapshot-stores",
        List.of("jdbc-snapshot-store"));
    m.put(
        "akka.projection.jdbc.dialect",
        kind.equals("postgres") ? "postgres-dialect" : "h2-dialect");
    m.put(
        "akka.projection.jdbc.blocking-jdbc-dispatcher.thread-pool-executor.fixed-pool-size",
        readSidePoolSize);
    return ConfigFactory.parseMap(m);
  }

  private void shared(Map<String, Object> m, String name, int size) {
    String prefix = "akka-persistence-jdbc.shared-databases." + name + ".";
    m.put(prefix + "profile", slickProfile());
    m.put(prefix + "db.url", url);
    m.put(prefix + "db.user", user);
    m.put(prefix + "db.password", password);
    m.put(prefix + "db.driver", driver());
    m.put(prefix + "db.numThreads", size);
    m.put(prefix + "db.maxConnections", size);
    m.put(prefix + "db.minConnections", 1);
  }
}
