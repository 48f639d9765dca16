package io.agenthive.launcher;

import com.typesafe.config.Config;
import io.agenthive.http.api.VerifyFormat;
import io.agenthive.persistence.DatabaseSettings;
import io.agenthive.persistence.audit.JournalSigner;
import io.agenthive.persistence.backup.BackupImporter;
import io.agenthive.persistence.backup.BackupWriter;
import io.agenthive.persistence.files.DurableFile;
import io.agenthive.security.HubTokens;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Set;

/**
 * {@code ./hive export --backup} writes the whole database as a backup; {@code ./hive import FILE}
 * loads one into an empty database and verifies it, which is also how a hive moves from the
 * embedded H2 to PostgreSQL. Plain JDBC, no actor system: on H2 the hub must be stopped.
 */
final class BackupCommands {
  private BackupCommands() {}

  static int backup(Config config, Path out) throws Exception {
    DatabaseSettings db = DatabaseSettings.from(config);
    JournalCommands.requireDatabase(config, db);
    JournalSigner signer =
        HubTokens.journalSigner(JournalCommands.signingKey(config, "the backup cannot be signed"));
    // written under another name, forced to disk and moved into place: a failed run leaves an
    // older backup whole, and a power cut after the message below leaves this one
    BackupWriter.Written written;
    if (out == null) {
      try (Connection c = db.connect();
          OutputStream sink = new BufferedOutputStream(System.out, 1 << 16)) {
        written = BackupWriter.write(c, db.kind(), signer, sink);
      }
    } else {
      try (Connection c = db.connect()) {
        written = DurableFile.write(out, sink -> BackupWriter.write(c, db.kind(), signer, sink));
      }
    }
    System.err.println(
        "Wrote a backup of "
            + written.rows().get("event_journal")
            + " events and "
            + (written.lines() - 1)
            + " rows in all"
            + (out == null ? "" : " to " + out)
            + " (SHA-256 "
            + written.sha256()
            + "); ./hive import loads it into an empty database.");
    return 0;
  }

  static int importBackup(Config config, List<String> args) throws Exception {
    if (args.isEmpty() || args.get(0).startsWith("--")) {
      throw new UsageError(
          "./hive import needs the backup file: ./hive import hive-backup.ndjson (made by ./hive"
              + " export --backup).");
    }
    Path file = Path.of(args.get(0));
    CommandOptions.parse("./hive import", args.subList(1, args.size()), Set.of(), Set.of());
    if (!Files.isRegularFile(file)) {
      throw new UsageError("./hive import " + file + ": there is no such file.");
    }
    Path keyFile = JournalCommands.signingKey(config, "the backup's signatures cannot be checked");
    DatabaseSettings db = DatabaseSettings.from(config);
    if (db.kind().equals("h2")) {
      Files.createDirectories(Path.of(config.getString("hive.persistence.data-dir")));
    }
    JournalCommands.ensureSchema(config, db);
    boolean person = System.console() != null;
    BackupImporter.Imported imported;
    try (Connection c = db.connect()) {
      imported =
          BackupImporter.load(
              c,
              !db.kind().equals("h2"),
              () -> Files.newInputStream(file),
              HubTokens.journalSigner(keyFile),
              n -> {
                if (person) {
                  System.err.print("\r" + n + " ");
                }
              });
    } catch (BackupImporter.Refused refused) {
      if (person) {
        System.err.print("\r");
      }
      System.err.println(refused.getMessage());
      return 1;
    }
    if (person) {
      System.err.print("\r");
    }
    System.out.println(
        "Imported "
            + file
            + ": "
            + imported.rows().getOrDefault("event_journal", 0L)
            + " events, "
            + imported.rows().getOrDefault("hive_journal_checkpoint", 0L)
            + " checkpoints, "
            + imported.rows().getOrDefault("hive_blob", 0L)
            + " stored files. "
            + VerifyFormat.summary(imported.report())
            + " A hub started on it rebuilds its read tables from the journal.");
    return 0;
  }
}
