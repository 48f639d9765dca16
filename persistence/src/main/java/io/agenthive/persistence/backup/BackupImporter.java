package io.agenthive.persistence.backup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agenthive.persistence.audit.JournalSigner;
import io.agenthive.persistence.audit.JournalVerifier;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Loads a backup ({@link BackupWriter}) into an empty database, H2 or PostgreSQL, then walks what
 * it loaded with the journal's verifier: every event's hash chain and every signed checkpoint must
 * hold, as they did where the backup was made. Anything wrong (a line that is not a row, a row the
 * database refuses, a broken chain, an end line that does not match) is refused in one sentence
 * naming the line, and nothing is committed: an import loads all of a backup or nothing.
 */
public final class BackupImporter {
  /** A backup the import refuses, in one sentence; the database is left as empty as it was. */
  public static final class Refused extends Exception {
    Refused(String sentence) {
      super(sentence, null, false, false);
    }
  }

  /** What was loaded: rows per table, and the verifier's report on the loaded journal. */
  public record Imported(long lines, Map<String, Long> rows, JournalVerifier.Report report) {}

  private final Connection c;
  private final boolean postgres;
  private final JournalSigner signer;
  private final ObjectMapper mapper = new ObjectMapper();
  private final Map<String, Long> rows = new LinkedHashMap<>();
  private final ImportTargets targets;

  private BackupImporter(Connection c, boolean postgres, JournalSigner signer) {
    this.c = c;
    this.postgres = postgres;
    this.signer = signer;
    this.targets = new ImportTargets(c);
  }

  /** Opens the backup file (again, to find the line of a broken link). */
  @FunctionalInterface
  public interface Opener {
    InputStream open() throws IOException;
  }

  /**
   * Loads the backup {@code file} opens into the database on {@code c} (its schema made, its
   * journal empty), checking the end line's and the checkpoints' signatures with {@code signer}
   * (the key of the hub that made the backup). One transaction: nothing is committed before every
   * check passed.
   */
  public static Imported load(
      Connection c, boolean postgres, Opener file, JournalSigner signer, LongConsumer progress)
      throws Refused, SQLException, IOException {
    BackupImporter importer = new BackupImporter(c, postgres, signer);
    importer.requireEmpty(); // before the transaction: what is there is someone's data
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try (InputStream in = new BufferedInputStream(file.open(), 1 << 16)) {
      return importer.run(new BackupLines(in), file, progress);
    } catch (Refused | SQLException | IOException | RuntimeException e) {
      try {
        c.rollback();
      } catch (SQLException rollback) {
        e.addSuppressed(rollback); // the refusal's sentence is what the person needs
      }
      throw e;
    } finally {
      importer.targets.close();
      c.setAutoCommit(autoCommit);
    }
  }

  private void requireEmpty() throws SQLException, Refused {
    for (BackupTables.Table t : BackupTables.ALL) {
      if (t.name().equals("hive_chain_origin")) {
        continue; // set by the first hub start even on an empty journal; the backup's replaces it
      }
      try (Statement st = c.createStatement();
          var rs = st.executeQuery("SELECT COUNT(*) FROM " + t.sqlName())) {
        rs.next();
        if (rs.getLong(1) > 0) {
          throw new Refused(
              "The database already holds "
                  + rs.getLong(1)
                  + " row(s) in "
                  + t.name()
                  + ": ./hive import loads a backup into an empty one (a new HIVE_DATA_DIR, or a"
                  + " new PostgreSQL schema).");
        }
      }
    }
  }

  private Imported run(BackupLines lines, Opener file, LongConsumer progress)
      throws Refused, SQLException, IOException {
    JsonNode end = null;
    long endLine = 0;
    byte[] digest = null;
    try {
      header(lines.next());
      try (Statement st = c.createStatement()) {
        st.executeUpdate("DELETE FROM hive_chain_origin");
      }
      byte[] bytes;
      while ((bytes = lines.next()) != null) {
        if (end != null) {
          throw new Refused("Line " + lines.number() + " follows the backup's end line.");
        }
        JsonNode n = parse(bytes, lines);
        if (n.has("end")) {
          end = n.get("end");
          endLine = lines.number();
          digest = lines.digestBeforeLast();
          continue;
        }
        JsonNode r = n.get("r");
        if (!n.path("t").isTextual() || r == null || !r.isObject()) {
          throw new ColumnCodec.BadLine("it is not a table's row ({\"t\": table, \"r\": row})");
        }
        String table = n.get("t").asText();
        targets.row(table, r, lines.number(), bytes.length);
        rows.merge(table, 1L, Long::sum);
        if (lines.number() % 10_000 == 0) {
          progress.accept(lines.number());
        }
      }
      targets.flush();
    } catch (ColumnCodec.BadLine e) {
      throw new Refused("Line " + lines.number() + " of the backup: " + e.getMessage() + ".");
    }
    if (end == null) {
      throw new Refused(
          "The backup ends at line "
              + lines.number()
              + " without its end line: it was cut short. Nothing was imported.");
    }
    if (end.path("lines").asLong(-1) != endLine - 1) {
      throw new Refused(
          "The backup's end line (line "
              + endLine
              + ") counts "
              + end.path("lines").asText()
              + " lines before it, but there are "
              + (endLine - 1)
              + ": lines were added or removed. Nothing was imported.");
    }
    String sha256 = HexFormat.of().formatHex(digest);
    boolean signed = signedBy(end, signer, endLine - 1, end.path("sha256").asText());
    JournalVerifier.Report report = new JournalVerifier(signer).verifyInTransaction(c, progress);
    if (!report.intact()) {
      c.rollback(); // before the second pass over the file: no transaction left idle meanwhile
      JournalVerifier.Break b = report.breaks().get(0);
      long line = lineOfJournalRow(file, b.offset());
      throw new Refused(
          (line > 0 ? "Line " + line + " of the backup" : "The backup")
              + " does not verify: "
              + b.kind()
              + " at "
              + b.persistenceId()
              + " sequence number "
              + b.sequenceNr()
              + ", offset "
              + b.offset()
              + " ("
              + b.detail()
              + "). Nothing was imported.");
    }
    if (!sha256.equals(end.path("sha256").asText())) {
      throw new Refused(
          "The backup was altered after it was written: the SHA-256 of its lines does not match"
              + " its end line (line "
              + endLine
              + "), though every journal row verifies. Nothing was imported.");
    }
    if (!signed) {
      throw new Refused(
          "The backup's end line (line "
              + endLine
              + ") is not signed by this hub's key ("
              + signer.keyId()
              + "): it was made by another hub, whose signing-key.jwk must be given"
              + " (HIVE_SIGNING_KEY_FILE), or its lines were altered and their SHA-256 made again."
              + " Nothing was imported.");
    }
    targets.continueOrdering(postgres); // last: on H2 this commits, and nothing may fail after
    c.commit();
    return new Imported(endLine, Map.copyOf(rows), report);
  }

  private static boolean signedBy(JsonNode end, JournalSigner signer, long lines, String sha256) {
    String keyId = end.path("key_id").asText("");
    try {
      byte[] signature = Base64.getDecoder().decode(end.path("signature").asText(""));
      return keyId.equals(signer.keyId())
          && signature.length > 0
          && signer.verifies(BackupWriter.signedText("backup", lines, sha256, keyId), signature);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The line the journal row at {@code ordering} is on: a second pass over the file. */
  private long lineOfJournalRow(Opener file, long ordering) throws IOException {
    try (InputStream in = new BufferedInputStream(file.open(), 1 << 16)) {
      BackupLines lines = new BackupLines(in);
      byte[] bytes;
      while ((bytes = lines.next()) != null) {
        try {
          JsonNode n = mapper.readTree(bytes);
          if (BackupTables.JOURNAL.name().equals(n.path("t").asText())
              && n.path("r").path("ordering").asLong() == ordering) {
            return lines.number();
          }
        } catch (IOException e) {
          // not a row: it cannot be the one
        }
      }
    }
    return 0;
  }

  private void header(byte[] first) throws Refused, IOException {
    JsonNode h;
    try {
      h = first == null ? null : mapper.readTree(first);
    } catch (IOException e) {
      h = null;
    }
    if (h == null || !h.has("agent_hive_backup")) {
      throw new Refused(
          "This is not an Agent Hive backup: its first line is not the one ./hive export --backup"
              + " writes.");
    }
    if (h.get("agent_hive_backup").asInt() != BackupWriter.FORMAT) {
      throw new Refused(
          "The backup is in format "
              + h.get("agent_hive_backup")
              + "; this hub reads format "
              + BackupWriter.FORMAT
              + ".");
    }
  }

  private JsonNode parse(byte[] line, BackupLines lines) throws Refused {
    try {
      return mapper.readTree(line);
    } catch (JsonProcessingException e) {
      if (!lines.lastEndedInNewline()) {
        throw new Refused(
            "The backup ends in the middle of line "
                + lines.number()
                + ": it was cut short. Nothing was imported.");
      }
      throw new ColumnCodec.BadLine("it is not JSON (" + e.getOriginalMessage() + ")");
    } catch (IOException e) {
      throw new ColumnCodec.BadLine("it is not JSON (" + e.getMessage() + ")");
    }
  }
}
