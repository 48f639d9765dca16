package io.agenthive.launcher;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.stream.javadsl.FileIO;
import akka.stream.javadsl.StreamConverters;
import akka.util.ByteString;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.agenthive.http.api.AuditFormat;
import io.agenthive.http.api.VerifyFormat;
import io.agenthive.persistence.DatabaseSettings;
import io.agenthive.persistence.EmbeddedDatabaseHold;
import io.agenthive.persistence.HiveEventFeed;
import io.agenthive.persistence.HiveReplay;
import io.agenthive.persistence.SchemaBootstrap;
import io.agenthive.persistence.audit.CheckpointSource;
import io.agenthive.persistence.audit.JournalSigner;
import io.agenthive.persistence.audit.JournalVerifier;
import io.agenthive.security.HubTokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Commands that read the journal without running the hive: {@code export} streams events as NDJSON
 * (to stdout or a file) for archiving or a SIEM; {@code replay --at} prints the hive's state as of
 * an instant. On the embedded database the hub must be stopped (H2 file mode allows one process);
 * on a running hub use {@code /api/audit/events} and {@code /api/hive/state}.
 */
final class JournalCommands {
  /** H2's error code for a database file another process holds open. */
  static final int H2_FILE_IN_USE = 90020;

  private JournalCommands() {}

  static int export(Config config, List<String> args) throws Exception {
    CommandOptions o =
        CommandOptions.parse("./hive export", args, Set.of("since", "out"), Set.of("backup"));
    long since = o.whole("since", 0, 0);
    Path out = o.text("out", null) == null ? null : Path.of(o.text("out", null));
    if (out != null
        && out.toAbsolutePath().getParent() != null
        && !Files.isDirectory(out.toAbsolutePath().getParent())) {
      throw new UsageError(
          "--out " + out + ": the folder " + out.toAbsolutePath().getParent() + " does not exist.");
    }
    if (o.flag("backup")) {
      if (o.text("since", null) != null) {
        throw new UsageError(
            "--backup writes the whole database; --since is for the event export (leave one out).");
      }
      return BackupCommands.backup(config, out);
    }
    long from = since;
    Path file = out;
    DatabaseSettings db = DatabaseSettings.from(config);
    return withJournal(
        config,
        system -> {
          HiveEventFeed feed = new HiveEventFeed(system);
          // the events up to the newest one now (a hub on PostgreSQL may go on writing), then the
          // signed checkpoints over them, read once the events are written
          return feed.latestOffset()
              .thenCompose(
                  upTo -> {
                    var lines =
                        feed.after(from, false)
                            .takeWhile(e -> e.offset() <= upTo)
                            .map(e -> ByteString.fromArray(AuditFormat.ndjsonLine(e)))
                            .concat(
                                CheckpointSource.between(db::connect, from, upTo)
                                    .map(
                                        k -> ByteString.fromArray(VerifyFormat.checkpointLine(k))));
                    return file == null
                        ? lines.runWith(
                            StreamConverters.fromOutputStream(() -> System.out, true), system)
                        : lines.runWith(FileIO.toPath(file), system);
                  });
        });
  }

  static int replay(Config config, List<String> args) throws Exception {
    CommandOptions o = CommandOptions.parse("./hive replay", args, Set.of("at"), Set.of("json"));
    Instant at = o.instant("at", "2026-11-22T12:00:00Z");
    boolean json = o.flag("json");
    return withJournal(
        config,
        system ->
            new HiveReplay(system, new HiveEventFeed(system))
                .at(at)
                .thenApply(
                    state -> {
                      if (json) {
                        byte[] bytes = AuditFormat.stateIndented(state);
                        System.out.write(bytes, 0, bytes.length);
                        System.out.println();
                      } else {
                        System.out.print(
                            ReplaySummary.of(state, "./hive replay --at " + at + " --json"));
                      }
                      return state;
                    }));
  }

  /**
   * Walks the journal and its checkpoints ({@link JournalVerifier}) with the hub's signing key:
   * prints one sentence, or the whole result with {@code --json}. Exit code 0 when intact, 1 when a
   * link is broken. Plain JDBC, no actor system: on H2 the hub must be stopped.
   */
  static int verify(Config config, List<String> args) throws Exception {
    CommandOptions o = CommandOptions.parse("./hive verify", args, Set.of(), Set.of("json"));
    DatabaseSettings db = DatabaseSettings.from(config);
    requireDatabase(config, db);
    JournalSigner signer =
        HubTokens.journalSigner(signingKey(config, "its checkpoints cannot be checked"));
    // progress only for a person at a terminal: a log or a pipe gets the result alone
    boolean person = System.console() != null;
    JournalVerifier.Report report;
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password())) {
      report =
          new JournalVerifier(signer)
              .verify(
                  c,
                  read -> {
                    if (person) {
                      System.err.print("\rread " + read + " rows");
                    }
                  });
    }
    if (person) {
      System.err.print("\r");
    }
    if (o.flag("json")) {
      byte[] line = VerifyFormat.resultLine(report);
      System.out.write(line, 0, line.length);
      System.out.flush();
    } else {
      System.out.println(VerifyFormat.summary(report));
      report.breaks().stream()
          .skip(1)
          .limit(9)
          .forEach(b -> System.out.println("  " + VerifyFormat.where(b) + ": " + b.detail()));
    }
    return report.intact() ? 0 : 1;
  }

  /** The hub's signing key file, which the command needs to {@code why}; missing, one sentence. */
  static Path signingKey(Config config, String why) throws UsageError {
    Path keyFile = Path.of(config.getString("hive.http.auth.signing-key-file"));
    if (!Files.exists(keyFile)) {
      throw new UsageError(
          "The hub's signing key "
              + keyFile
              + " is missing, so "
              + why
              + ": point HIVE_SIGNING_KEY_FILE at it (the signing-key.jwk beside the data of the"
              + " hub that wrote the journal).");
    }
    return keyFile;
  }

  @SuppressWarnings("try") // the hold is only kept open for the block's length
  static int withJournal(Config config, Function<ActorSystem<Void>, CompletionStage<?>> work)
      throws Exception {
    DatabaseSettings db = DatabaseSettings.from(config);
    requireEmbeddedFile(config, db);
    // one open of the embedded file for the schema check and the journal's pools (a close and an
    // open again cost over a second on a large journal)
    try (EmbeddedDatabaseHold hold = hold(config, db)) {
      ensureSchema(config, db);
      return withJournal(db, config, work);
    }
  }

  private static int withJournal(
      DatabaseSettings db, Config config, Function<ActorSystem<Void>, CompletionStage<?>> work)
      throws Exception {
    Config local =
        db.journalConfig()
            .withFallback(
                ConfigFactory.parseString(
                    // stdout carries the NDJSON or JSON: Akka's start and stop notices must not
                    "akka.actor.provider = local\nakka.loglevel = WARNING\nakka.stdout-loglevel = OFF"))
            .withFallback(config);
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "hive-journal", local);
    try {
      work.apply(system).toCompletableFuture().get(30, TimeUnit.MINUTES);
      return 0;
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /** The database exists and no hub holds it (H2), with its schema up to date. */
  static void requireDatabase(Config config, DatabaseSettings db) throws Exception {
    requireEmbeddedFile(config, db);
    ensureSchema(config, db);
  }

  /** On H2, the hub's file must be there already: a command never makes an empty one. */
  static void requireEmbeddedFile(Config config, DatabaseSettings db) throws UsageError {
    String dataDir = config.getString("hive.persistence.data-dir");
    if (db.kind().equals("h2") && !Files.exists(Path.of(dataDir, "hive.mv.db"))) {
      throw new UsageError(
          "There is no hub database in "
              + dataDir
              + " yet: run ./hive first,"
              + " or point HIVE_DATA_DIR at the hub's data directory.");
    }
  }

  /** The schema made or brought up to date, for a command; the embedded one must be free. */
  static void ensureSchema(Config config, DatabaseSettings db) throws Exception {
    try {
      SchemaBootstrap.ensureForReading(db);
    } catch (SQLException e) {
      throw inUse(config, e);
    }
  }

  /** The embedded database held open for a command; the hub must not be running on it. */
  private static EmbeddedDatabaseHold hold(Config config, DatabaseSettings db) throws Exception {
    try {
      return EmbeddedDatabaseHold.open(db);
    } catch (SQLException e) {
      throw inUse(config, e);
    }
  }

  /** The embedded file held by a running hub, said in one sentence; other errors as they are. */
  private static Exception inUse(Config config, SQLException e) {
    if (e.getErrorCode() != H2_FILE_IN_USE) {
      return e;
    }
    return new UsageError(
        "The hub is running on "
            + config.getString("hive.persistence.data-dir")
            + " (the embedded database"
            + " allows one process): stop it, or ask the running hub (/api/audit/events,"
            + " /api/audit/verify, /api/hive/state).");
  }
}
