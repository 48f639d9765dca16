package io.agenthive.persistence;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the journal's tables when missing. Runs once at start-up, before the actor system, on the
 * caller's thread; every statement is idempotent, so it is safe on every start, and on several
 * nodes starting at once.
 */
public final class SchemaBootstrap {
  private static final Logger log = LoggerFactory.getLogger(SchemaBootstrap.class);

  private SchemaBootstrap() {}

  /**
   * The journal's tables for this database, then the read side's and the blob store's (same DDL on
   * both). On PostgreSQL in one transaction under an advisory lock: nodes of a cluster starting at
   * once would otherwise race in {@code CREATE TABLE IF NOT EXISTS}, which PostgreSQL does not make
   * safe against a concurrent creation of the same table.
   */
  public static void ensure(DatabaseSettings db) throws SQLException, IOException {
    ensure(db, true);
  }

  /**
   * The same for a command that only reads the journal ({@code export}, {@code replay}, {@code
   * verify}): it never sets where the hash chain begins, which is the first hub start's to say (a
   * hub of an earlier version may still be writing).
   */
  public static void ensureForReading(DatabaseSettings db) throws SQLException, IOException {
    ensure(db, false);
  }

  private static void ensure(DatabaseSettings db, boolean hubStart)
      throws SQLException, IOException {
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        Statement st = c.createStatement()) {
      boolean postgres = "PostgreSQL".equals(c.getMetaData().getDatabaseProductName());
      if (postgres) {
        c.setAutoCommit(false);
        st.execute("SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK + ")");
      }
      for (String file :
          new String[] {
            db.schemaResource(),
            "hive/schema/read-side.sql",
            "hive/schema/blobs.sql",
            "hive/schema/audit.sql",
            "hive/schema/subjects.sql"
          }) {
        for (String sql : statements(readResource(file))) {
          st.execute(sql);
        }
      }
      JournalColumns.ensure(c, postgres, hubStart);
      if (postgres) {
        c.commit();
      }
    }
    log.info("Journal schema ready on {}", redact(db.url()));
  }

  /** Any number, the same on every node: the key of the lock schema creation holds. */
  private static final long SCHEMA_LOCK = 0x48495645L; // "HIVE"

  static String[] statements(String ddl) {
    StringBuilder kept = new StringBuilder();
    for (String line : ddl.split("\n")) {
      if (!line.strip().startsWith("--")) {
        kept.append(line).append('\n');
      }
    }
    return Arrays.stream(kept.toString().split(";"))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .toArray(String[]::new);
  }

  private static String readResource(String name) throws IOException {
    try (InputStream in = SchemaBootstrap.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("schema resource " + name + " is missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8); // allowed: our own jar
    }
  }

  /** URLs may carry credentials; logs get only the part before the first ';' or '?'. */
  static String redact(String url) {
    int cut = url.length();
    for (char c : new char[] {';', '?'}) {
      int i = url.indexOf(c);
      if (i >= 0) {
        cut = Math.min(cut, i);
      }
    }
    return url.substring(0, cut);
  }
}
