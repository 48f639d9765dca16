package io.agenthive.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import io.agenthive.persistence.DatabaseSettings;
import io.agenthive.persistence.audit.JournalSigner;
import io.agenthive.persistence.audit.JournalVerifier;
import io.agenthive.security.HubTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Scenario audit: how fast {@code ./hive verify}'s walk checks a journal the hub wrote (20 000 noop
 * tasks, about 60 000 events; 2 000 quick) with its hash chains and a signed checkpoint over all of
 * it, in events per second. Ceiling: {@code sha256sum} of the same journal's {@code ./hive export}
 * file (in the page cache), as its lines per second: one checksummed pass over the same events with
 * no database, no chains and no Merkle tree. The verifier runs in the harness's JVM (what the
 * command runs, without its JVM start).
 */
final class AuditScenario {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AuditScenario() {}

  static List<Figure> run(Bench.Options options, Config base, List<String> notes) throws Exception {
    int tasks = options.quick() ? 2_000 : 20_000;
    try (BenchDb db = BenchDb.h2()) {
      RecoveryScenario.writeJournal(db, base, tasks);
      signedCheckpoint(options, db, base);
      Path export = Files.createTempFile("hive-bench-export-", ".ndjson");
      try {
        exportJournal(options, db, export);
        long lines;
        try (Stream<String> s = Files.lines(export)) {
          lines = s.count();
        }
        DatabaseSettings settings = DatabaseSettings.from(db.config(base));
        JournalSigner signer =
            HubTokens.journalSigner(
                Path.of(db.env().get("HIVE_DATA_DIR")).resolve("signing-key.jwk"));
        List<Double> verified = new ArrayList<>();
        List<Double> hashed = new ArrayList<>();
        long events = 0;
        for (int run = options.quick() ? 1 : 0; run <= options.runs(); run++) {
          long start = System.nanoTime();
          JournalVerifier.Report report;
          try (Connection c = settings.connect()) {
            report = new JournalVerifier(signer).verify(c, read -> {}); // one walk each
          }
          double seconds = (System.nanoTime() - start) / 1e9;
          if (!report.intact()
              || report.checkpoints() == 0
              || report.eventsAfterNewestCheckpoint() > 0
              || report.unchainedEvents() > 0) {
            throw new IllegalStateException("the bench journal does not verify whole: " + report);
          }
          events = report.events();
          start = System.nanoTime();
          String sum =
              Processes.run(List.of("sha256sum", export.toString()), Duration.ofMinutes(2));
          if (!sum.matches("(?s)[0-9a-f]{64} .*")) {
            throw new IllegalStateException("sha256sum failed: " + sum);
          }
          double shaSeconds = (System.nanoTime() - start) / 1e9;
          if (run > 0) { // run 0 warms the JIT and the page cache
            verified.add(events / seconds);
            hashed.add(lines / shaSeconds);
          }
        }
        notes.add(
            String.format(
                "audit: %,d events verified (%,d export lines, %,d bytes)",
                events, lines, Files.size(export)));
        return List.of(
            Figure.of("audit", String.format("verify, %,d events", events), verified, "events/s")
                .against("sha256sum of the export", hashed));
      } finally {
        Files.deleteIfExists(export);
      }
    }
  }

  /**
   * A hub start makes the signing key, then a checkpoint over everything written before it (lag 0:
   * nothing else writes). Closed cleanly, as the data is used again.
   */
  private static void signedCheckpoint(Bench.Options options, BenchDb db, Config base)
      throws Exception {
    HubProcess.Started hub =
        HubProcess.start(
            options,
            db.env(),
            List.of("-Dhive.audit.checkpoint-interval=1s", "-Dhive.audit.checkpoint-lag=0s"),
            true);
    try (Processes.Child child = hub.child()) {
      // the hub holds the H2 file: asked through its own verify route, which counts checkpoints
      HttpClient http = HttpClient.newHttpClient();
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      while (!everyEventSigned(http, hub)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("no journal checkpoint within two minutes");
        }
        Thread.sleep(500); // allowed: the harness polls the hub
      }
    }
  }

  /** Whether {@code GET /api/audit/verify} finds a checkpoint and no event after the newest. */
  private static boolean everyEventSigned(HttpClient http, HubProcess.Started hub)
      throws Exception {
    String body =
        http.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + hub.port() + "/api/audit/verify"))
                    .header("Authorization", hub.bearer())
                    .timeout(Duration.ofMinutes(1))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    String last = "";
    for (String line : body.split("\n")) {
      if (!line.isBlank()) {
        last = line;
      }
    }
    if (last.isEmpty()) {
      return false;
    }
    JsonNode result = JSON.readTree(last);
    return result.path("checkpoints").asLong(0) > 0
        && result.path("events_after_newest_checkpoint").asLong(-1) == 0;
  }

  /** {@code ./hive export --out}, as a person runs it on the stopped hub's data. */
  private static void exportJournal(Bench.Options options, BenchDb db, Path out) throws Exception {
    Path log = Files.createTempFile("hive-bench-export-", ".log");
    List<String> jvm = new ArrayList<>(HubProcess.JVM);
    jvm.add("-Dconfig.file=" + options.root().resolve("application.conf"));
    try (Processes.Child export =
        Processes.java(
            "io.agenthive.launcher.Main",
            jvm,
            List.of("export", "--out", out.toString()),
            db.env(),
            log)) {
      if (!export.process().waitFor(5, TimeUnit.MINUTES) || export.process().exitValue() != 0) {
        throw new IllegalStateException("./hive export failed; see " + log);
      }
    }
  }
}
