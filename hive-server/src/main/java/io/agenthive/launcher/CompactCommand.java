package io.agenthive.launcher;

import com.typesafe.config.Config;
import io.agenthive.node.DataDirectory;
import io.agenthive.persistence.DatabaseSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.h2.mvstore.MVStoreTool;

/**
 * {@code ./hive compact}: the embedded database's file rewritten without its dead space, on a
 * stopped hub.
 *
 * <p>Why it is needed: the hub runs H2 with {@code WRITE_DELAY=0}, so that every acknowledged write
 * is in the file before the answer. H2 then writes each commit as a new piece of the file, and the
 * pieces that still hold a few live rows are never rewritten, because {@code WRITE_DELAY=0} also
 * stops the background writer that would do it. A hub grew its file by about 45 KB per task under
 * load and about 80 KB per task at a trickle of single submissions: 4.3 GB after about 92,000
 * tasks, 176 MB once compacted (H2 also compresses the copy), and opening it took 2.2 s before and
 * 0.4 s after. H2's {@code SHUTDOWN COMPACT} copies the live data into a new file and moves it over
 * the old one in one step, so a compaction cut short (a full disk, say) leaves the old file whole.
 */
final class CompactCommand {
  private CompactCommand() {}

  static int run(Config config, List<String> args) throws Exception {
    CommandOptions.parse("./hive compact", args, Set.of(), Set.of());
    DatabaseSettings db = DatabaseSettings.from(config);
    if (!db.kind().equals("h2")) {
      throw new UsageError(
          "./hive compact is for the embedded H2 file; PostgreSQL gives dead rows' space back by"
              + " itself (autovacuum).");
    }
    JournalCommands.requireEmbeddedFile(config, db);
    Path dataDir = Path.of(config.getString("hive.persistence.data-dir"));
    Path file = dataDir.resolve("hive.mv.db");
    long before = Files.size(file);
    long start = System.nanoTime();
    try (Connection c = opened(db, dataDir, file);
        Statement st = c.createStatement()) {
      st.execute("SHUTDOWN COMPACT");
    } catch (SQLException e) {
      throw new UsageError(
          "./hive compact could not finish ("
              + firstLine(e)
              + "); the database is as it was and the hub starts on it.");
    }
    if (!finished(file)) {
      throw new UsageError(
          "./hive compact could not finish: H2 left its copy incomplete (it needs free disk space"
              + " about the size of the live data beside "
              + file
              + "); the database is as it was and the hub starts on it.");
    }
    // H2 made the new file with the process's umask: the data stays its owner's alone
    DataDirectory.secure(dataDir);
    System.out.println(
        String.format(
            Locale.ROOT,
            "Compacted %s from %s to %s in %.1f s.",
            file,
            megabytes(before),
            megabytes(Files.size(file)),
            (System.nanoTime() - start) / 1e9));
    return 0;
  }

  /**
   * Whether H2's compaction of {@code file} finished. H2 copies into a temporary file and moves it
   * over the old one; a failure on the way (a full disk, say) goes only to H2's trace, which the
   * hub turns off, so the copy it leaves is the sign. H2's own clean-up, which it also runs at
   * every open, then removes that copy (or puts a finished one in place).
   */
  static boolean finished(Path file) throws UsageError {
    Path copy = Path.of(file + ".tempFile");
    boolean unfinished = Files.exists(copy) || Files.exists(Path.of(file + ".newFile"));
    try {
      MVStoreTool.compactCleanUp(file.toString());
    } catch (RuntimeException e) {
      throw new UsageError(
          "./hive compact could not finish, nor remove H2's unfinished copy "
              + copy
              + " ("
              + firstLine(e)
              + "): remove it by hand; the database is as it was.");
    }
    return !unfinished;
  }

  /** The database opened alone: a running hub holds the file, and a damaged file is named. */
  private static Connection opened(DatabaseSettings db, Path dataDir, Path file) throws UsageError {
    try {
      return db.connect();
    } catch (SQLException e) {
      if (e.getErrorCode() == JournalCommands.H2_FILE_IN_USE) {
        throw new UsageError(
            "The hub is running on "
                + dataDir
                + " (the embedded database allows one process): stop it first, then run ./hive"
                + " compact.");
      }
      throw new UsageError("./hive compact could not open " + file + " (" + firstLine(e) + ").");
    }
  }

  private static String firstLine(Exception e) {
    return String.valueOf(e.getMessage()).lines().findFirst().orElse("no reason given");
  }

  private static String megabytes(long bytes) {
    return String.format(Locale.ROOT, "%,.1f MB", bytes / 1e6);
  }
}
