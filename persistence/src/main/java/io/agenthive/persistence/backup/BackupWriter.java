package io.agenthive.persistence.backup;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.agenthive.persistence.audit.JournalSigner;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a backup: every row of the hub's own tables ({@link BackupTables}) as one NDJSON line
 * each, exactly as stored (payloads, hashes and orderings included), so that {@link BackupImporter}
 * can load it into an empty database of either kind and the hub started on it is the same hub. The
 * first line says what the file is; the last gives the line count and the SHA-256 of every line
 * before it, signed with the hub's key (the one that signs its checkpoints), so a file cut short or
 * altered, even with its SHA-256 made again, is refused as a whole.
 *
 * <p>All tables are read in one repeatable-read transaction: on PostgreSQL a hub that goes on
 * writing does not tear the backup (the rows of one snapshot), streamed a page at a time.
 */
public final class BackupWriter {
  public static final int FORMAT = 1;
  private static final int FETCH = 500;

  /** What was written: lines (without the end line), rows per table, and their SHA-256. */
  public record Written(long lines, Map<String, Long> rows, String sha256) {}

  private BackupWriter() {}

  public static Written write(
      Connection c, String database, JournalSigner signer, OutputStream sink)
      throws SQLException, IOException {
    return document(
        c,
        sink,
        signer,
        "backup",
        out -> {
          out.writeNumberField("agent_hive_backup", FORMAT);
          out.writeStringField("database", database);
          out.writeStringField("written_at", Instant.now().toString());
          out.writeArrayFieldStart("tables");
          for (BackupTables.Table t : BackupTables.ALL) {
            out.writeString(t.name());
          }
          out.writeEndArray();
        },
        (out, rows) -> {
          long lines = 0;
          for (BackupTables.Table t : BackupTables.ALL) {
            long n = rows(c, t, "", List.of(), out);
            rows.put(t.name(), n);
            lines += n;
          }
          return lines;
        });
  }

  /**
   * An archive of some entities' journal rows, in the backup's row format (hashes included, so each
   * row can be matched with the hash the journal keeps after the rows are deleted).
   */
  public static Written archive(
      Connection c,
      List<String> persistenceIds,
      String why,
      JournalSigner signer,
      OutputStream sink)
      throws SQLException, IOException {
    String in = String.join(", ", java.util.Collections.nCopies(persistenceIds.size(), "?"));
    return document(
        c,
        sink,
        signer,
        "archive",
        out -> {
          out.writeNumberField("agent_hive_archive", FORMAT);
          out.writeStringField("written_at", Instant.now().toString());
          out.writeStringField("why", why);
          out.writeNumberField("entities", persistenceIds.size());
        },
        (out, rows) -> {
          long n =
              rows(
                  c,
                  BackupTables.JOURNAL,
                  " WHERE \"persistence_id\" IN (" + in + ")",
                  persistenceIds,
                  out);
          rows.put(BackupTables.JOURNAL.name(), n);
          return n;
        });
  }

  private interface Header {
    void write(JsonGenerator out) throws IOException;
  }

  private interface Body {
    long write(JsonGenerator out, Map<String, Long> rows) throws SQLException, IOException;
  }

  private static Written document(
      Connection c, OutputStream sink, JournalSigner signer, String kind, Header header, Body body)
      throws SQLException, IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
    boolean h2 = "H2".equals(c.getMetaData().getDatabaseProductName());
    boolean autoCommit = c.getAutoCommit();
    int isolation = c.getTransactionIsolation();
    c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
    c.setAutoCommit(false); // PostgreSQL streams a result only inside a transaction
    if (h2) {
      lazy(c, true); // or H2 holds a whole table's result (stored files too) in the heap
    }
    boolean done = false;
    Map<String, Long> rows = new LinkedHashMap<>();
    try (DigestOutputStream digested = new DigestOutputStream(nonClosing(sink), sha);
        JsonGenerator out = new JsonFactory().createGenerator(digested, JsonEncoding.UTF8)) {
      out.setRootValueSeparator(null); // each line starts with its '{', as the docs show
      out.writeStartObject();
      header.write(out);
      out.writeEndObject();
      out.writeRaw('\n');
      long lines = 1 + body.write(out, rows);
      out.flush();
      String digest = HexFormat.of().formatHex(sha.digest());
      digested.on(false);
      byte[] signature = signer.sign(signedText(kind, lines, digest, signer.keyId()));
      out.writeStartObject();
      out.writeObjectFieldStart("end");
      out.writeNumberField("lines", lines);
      out.writeStringField("sha256", digest);
      out.writeStringField("key_id", signer.keyId());
      out.writeStringField("signature", Base64.getEncoder().encodeToString(signature));
      out.writeEndObject();
      out.writeEndObject();
      out.writeRaw('\n');
      out.flush();
      c.commit();
      done = true;
      return new Written(lines, rows, digest);
    } finally {
      if (!done) {
        c.rollback(); // PostgreSQL changes no setting inside an open transaction
      }
      if (h2) {
        lazy(c, false);
      }
      c.setAutoCommit(autoCommit);
      c.setTransactionIsolation(isolation);
    }
  }

  /**
   * What the end line's signature covers: {@code agent-hive <kind> v1|<lines>|<sha256>|<key id>},
   * so a file whose rows were edited and its SHA-256 recomputed is refused without the hub's key.
   */
  static byte[] signedText(String kind, long lines, String sha256, String keyId) {
    return ("agent-hive " + kind + " v" + FORMAT + "|" + lines + "|" + sha256 + "|" + keyId)
        .getBytes(StandardCharsets.UTF_8);
  }

  private static void lazy(Connection c, boolean on) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("SET LAZY_QUERY_EXECUTION " + (on ? "TRUE" : "FALSE"));
    }
  }

  private static long rows(
      Connection c, BackupTables.Table t, String where, List<String> params, JsonGenerator out)
      throws SQLException, IOException {
    long n = 0;
    try (PreparedStatement st =
        c.prepareStatement("SELECT * FROM " + t.sqlName() + where + " ORDER BY " + t.orderBy())) {
      st.setFetchSize(FETCH);
      for (int i = 0; i < params.size(); i++) {
        st.setString(i + 1, params.get(i));
      }
      try (ResultSet rs = st.executeQuery()) {
        ResultSetMetaData meta = rs.getMetaData();
        int columns = meta.getColumnCount();
        String[] names = new String[columns + 1];
        ColumnCodec.Kind[] kinds = new ColumnCodec.Kind[columns + 1];
        for (int i = 1; i <= columns; i++) {
          names[i] = meta.getColumnName(i).toLowerCase(Locale.ROOT);
          kinds[i] = ColumnCodec.kindOf(meta.getColumnType(i), t.name() + "." + names[i]);
        }
        while (rs.next()) {
          out.writeStartObject();
          out.writeStringField("t", t.name());
          out.writeObjectFieldStart("r");
          for (int i = 1; i <= columns; i++) {
            out.writeFieldName(names[i]);
            ColumnCodec.write(out, rs, i, kinds[i]);
          }
          out.writeEndObject();
          out.writeEndObject();
          out.writeRaw('\n');
          n++;
        }
      }
    }
    return n;
  }

  /** The caller's stream (stdout, a file) is the caller's to close. */
  private static OutputStream nonClosing(OutputStream sink) {
    return new java.io.FilterOutputStream(sink) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        flush();
      }
    };
  }
}
