package io.agenthive.persistence.subject;

import akka.actor.typed.ActorSystem;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.agenthive.persistence.DatabaseSettings;
import io.agenthive.subject.InMemorySubjectKeys;
import io.agenthive.subject.SubjectKeys;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * Subjects' data keys in {@code hive_subject_key}, wrapped with the {@link MasterKey}. Blocking:
 * callers run it off actor threads, or accept one short query (a seal caches its key, so an entity
 * queries once per subject; an open always asks the table, so an erasure holds on every node at
 * once).
 */
public final class JdbcSubjectKeys implements SubjectKeys {
  private static final int CACHE_LIMIT = 10_000;
  private final HikariDataSource pool;
  private final MasterKey master;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, SubjectKey> sealing = new ConcurrentHashMap<>();

  public JdbcSubjectKeys(ActorSystem<?> system) throws IOException, GeneralSecurityException {
    var config = system.settings().config();
    this.pool = pool(DatabaseSettings.from(config), config.getInt("hive.subjects.pool-size"));
    system.getWhenTerminated().thenRun(pool::close);
    Path file = Path.of(config.getString("hive.subjects.master-key-file"));
    String wrappedWith = inTransaction(JdbcSubjectKeys::aMasterInUse);
    if (wrappedWith != null && !java.nio.file.Files.exists(file)) {
      // a new key would open none of the keys already made: refuse, and say what is missing
      throw new IllegalStateException(
          "the master key file "
              + file
              + " is missing, but subject keys wrapped with master key "
              + wrappedWith
              + " exist: restore the file (or point HIVE_MASTER_KEY_FILE at it)");
    }
    this.master = MasterKey.load(file);
    if (wrappedWith != null && !wrappedWith.equals(master.id())) {
      throw new IllegalStateException(
          "the master key in "
              + file
              + " ("
              + master.id()
              + ") is not the one that wrapped the subject keys ("
              + wrappedWith
              + "): nodes must share hive.subjects.master-key-file");
    }
  }

  /** The id of a master key that wrapped a live subject key, or null when none is kept. */
  private static String aMasterInUse(Connection c) throws SQLException {
    try (PreparedStatement st =
            c.prepareStatement(
                "SELECT master_id FROM hive_subject_key WHERE master_id IS NOT NULL"
                    + " AND wrapped_key IS NOT NULL ORDER BY created_at_ms DESC");
        ResultSet rs = st.executeQuery()) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  @Override
  public Optional<SubjectKey> keyFor(String subject) {
    SubjectKey cached = sealing.get(subject);
    if (cached != null) {
      return Optional.of(cached);
    }
    // one read: a key made before is opened, an erased subject gets none, a new one is made
    Optional<Row> row = inTransaction(c -> row(c, subject));
    Optional<SubjectKey> key =
        row.map(r -> opened(subject, r, null)).orElseGet(() -> made(subject));
    key.ifPresent(
        k -> {
          if (sealing.size() >= CACHE_LIMIT) {
            sealing.clear();
          }
          sealing.put(subject, k);
        });
    return key;
  }

  @Override
  public Optional<SecretKey> existing(String subject, String keyId) {
    return stored(subject, keyId).map(SubjectKey::key);
  }

  @Override
  public Instant erase(String subject, Instant at) {
    sealing.remove(subject);
    return inTransaction(
        c -> {
          try (PreparedStatement st =
              c.prepareStatement(
                  "UPDATE hive_subject_key SET wrapped_key = NULL, erased_at_ms = ?"
                      + " WHERE subject = ? AND erased_at_ms IS NULL")) {
            st.setLong(1, at.toEpochMilli());
            st.setString(2, subject);
            if (st.executeUpdate() == 1) {
              return at;
            }
          }
          Optional<Row> row = row(c, subject);
          if (row.isPresent()) {
            return row.get().erasedAt();
          }
          // never used: recorded anyway, so no key is ever made for it
          insert(c, subject, null, null, at);
          return at;
        });
  }

  @Override
  public Optional<Instant> erasedAt(String subject) {
    return inTransaction(c -> row(c, subject).map(Row::erasedAt));
  }

  /** The subject's key (with id {@code keyId} when given), unless erased or never made. */
  private Optional<SubjectKey> stored(String subject, String keyId) {
    return inTransaction(c -> row(c, subject)).flatMap(r -> opened(subject, r, keyId));
  }

  /** The key a row holds (with id {@code keyId} when given); empty once erased. */
  private Optional<SubjectKey> opened(String subject, Row r, String keyId) {
    if (r.erasedAt() != null || r.wrapped() == null) {
      return Optional.empty();
    }
    if (keyId != null && !keyId.equals(r.keyId())) {
      return Optional.empty();
    }
    if (!master.id().equals(r.masterId())) {
      throw new IllegalStateException(
          "subject keys were wrapped with master key "
              + r.masterId()
              + ", this node has "
              + master.id()
              + ": nodes must share hive.subjects.master-key-file");
    }
    try {
      byte[] key = master.unwrap(r.wrapped(), subject + "\n" + r.keyId());
      return Optional.of(new SubjectKey(r.keyId(), new SecretKeySpec(key, "AES")));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the key of subject " + subject + " does not unwrap", e);
    }
  }

  /** A new key, or the one another node made at the same moment (or empty: erased meanwhile). */
  private Optional<SubjectKey> made(String subject) {
    SubjectKey fresh = InMemorySubjectKeys.newKey(random);
    try {
      byte[] wrapped = master.wrap(fresh.key().getEncoded(), subject + "\n" + fresh.id());
      inTransaction(
          c -> {
            insert(c, subject, fresh.id(), wrapped, null);
            return null;
          });
      return Optional.of(fresh);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot wrap a key", e);
    } catch (IllegalStateException e) {
      if (e.getCause() instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
        return stored(subject, null);
      }
      throw e;
    }
  }

  private void insert(Connection c, String subject, String keyId, byte[] wrapped, Instant erased)
      throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            "INSERT INTO hive_subject_key (subject, key_id, wrapped_key, master_id,"
                + " created_at_ms, erased_at_ms) VALUES (?, ?, ?, ?, ?, ?)")) {
      st.setString(1, subject);
      st.setString(2, keyId);
      st.setBytes(3, wrapped);
      st.setString(4, wrapped == null ? null : master.id());
      st.setLong(5, System.currentTimeMillis());
      if (erased == null) {
        st.setNull(6, java.sql.Types.BIGINT);
      } else {
        st.setLong(6, erased.toEpochMilli());
      }
      st.executeUpdate();
    }
  }

  private record Row(String keyId, byte[] wrapped, String masterId, Instant erasedAt) {}

  private static Optional<Row> row(Connection c, String subject) throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            "SELECT key_id, wrapped_key, master_id, erased_at_ms FROM hive_subject_key"
                + " WHERE subject = ?")) {
      st.setString(1, subject);
      try (ResultSet rs = st.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        long erased = rs.getLong(4);
        Instant erasedAt = rs.wasNull() ? null : Instant.ofEpochMilli(erased);
        return Optional.of(new Row(rs.getString(1), rs.getBytes(2), rs.getString(3), erasedAt));
      }
    }
  }

  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> T inTransaction(Work<T> work) {
    try (Connection c = pool.getConnection()) {
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("the subject key table failed: " + e.getMessage(), e);
    }
  }

  private static HikariDataSource pool(DatabaseSettings db, int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(db.url());
    config.setUsername(db.user());
    config.setPassword(db.password());
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(1);
    config.setPoolName("hive-subjects");
    config.setAutoCommit(false);
    return new HikariDataSource(config);
  }
}
