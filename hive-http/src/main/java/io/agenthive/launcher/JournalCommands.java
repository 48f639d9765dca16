package io.agenthive.launcher;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.stream.javadsl.FileIO;

import akka.stream.javadsl.StreamConverters;
import akka.util.ByteString;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.agenthive.http.api.AuditFormat;
import io.agenthive.persistence.DatabaseSettings;
import io.agenthive.persistence.HiveEventFeed;
import io.agenthive.persistence.HiveReplay;
import io.agenthive.persistence.SchemaBootstrap;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Commands that read the journal without running the hive: {@code export} streams events as
 * NDJSON (to stdout or a file) for archiving or a SIEM; {@code replay --at} prints the hive's
 * state as of an instant. On the embedded database the hub must be stopped (H2 file mode allows
 * one process); on a running hub use {@code /api/audit/events} and {@code /api/hive/state}.
 */
final class JournalCommands {
  private JournalCommands() {}

  static int export(Config config, List<String> args) throws Exception {
    long since = 0;
    Path out = null;
    for (int i = 0; i < args.size(); i++) {
      switch (args.get(i)) {
        case "--since" -> since = Long.parseLong(args.get(++i));
        case "--out" -> out = Path.of(args.get(++i));
        default -> throw new IllegalArgumentException("unknown option " + args.get(i));
      }
    }
    long from = since;
    Path file = out;
    return withJournal(config, system -> {
      var lines = new HiveEventFeed(system).after(from, false)
          .map(e -> ByteString.fromArray(AuditFormat.ndjsonLine(e)));
      return file == null
          ? lines.runWith(StreamConverters.fromOutputStream(() -> System.out, true), system)
          : lines.runWith(FileIO.toPath(file), system);
    });
  }

  static int replay(Config config, List<String> args) throws Exception {
    if (args.size() != 2 || !args.get(0).equals("--at")) {
      throw new IllegalArgumentException("usage: hive replay --at <ISO-8601 instant>");
    }
    Instant at = Instant.parse(args.get(1));
    return withJournal(config, system ->
        new HiveReplay(system, new HiveEventFeed(system)).at(at).thenApply(state -> {
          byte[] json = AuditFormat.state(state);
          System.out.write(json, 0, json.length);
          System.out.println();
          return state;
        }));
  }

  private static int withJournal(Config config,
      Function<ActorSystem<Void>, CompletionStage<?>> work) throws Exception {
    DatabaseSettings db = DatabaseSettings.from(config);
    SchemaBootstrap.ensure(db);
    Config local = db.journalConfig()
        .withFallback(ConfigFactory.parseString(
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
}
