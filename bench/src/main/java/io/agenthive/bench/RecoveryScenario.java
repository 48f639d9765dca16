package io.agenthive.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import io.agenthive.hive.Hive;
import io.agenthive.launcher.LoadDriver;
import io.agenthive.node.HiveNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Scenario 3: process start → ready (journal reachable, the matcher rebuilt from the read side and
 * the journal after it, HTTP bound) on an empty journal and on journals of about 100 000 and 1 000
 * 000 events (H2); idle heap after a full GC and RSS. Ceiling: the hello-world akka-http JVM's
 * start, heap and RSS. The 100 000-event journal is written by the hub itself (noop tasks); the 1
 * 000 000-event one copies its task events (and their tags) under new task ids with SQL, and one
 * discarded start lets the read side catch up with them, as it would have while the hub wrote them:
 * so it measures a restart against a journal of that size.
 */
final class RecoveryScenario {
  private RecoveryScenario() {}

  static List<Figure> run(Bench.Options options, Config base, List<String> notes) throws Exception {
    List<Figure> out = new ArrayList<>();
    List<Double> helloStart = new ArrayList<>();
    List<Double> helloHeap = new ArrayList<>();
    List<Double> helloRss = new ArrayList<>();
    for (int run = skip(options); run <= options.runs(); run++) {
      Path log = Files.createTempFile("hive-bench-hello-", ".log");
      long start = System.nanoTime();
      try (Processes.Child hello =
          Processes.java(
              HelloServer.class.getName(),
              HubProcess.JVM,
              List.of(Integer.toString(Processes.freePort())),
              Map.of(),
              log,
              true)) {
        hello.await(Pattern.compile("hello ready"), Duration.ofMinutes(1));
        if (run > 0) {
          helloStart.add((System.nanoTime() - start) / 1e9);
          helloHeap.add(Processes.heapAfterGcMiB(hello.pid()));
          helloRss.add(Processes.rssMiB(hello.pid()));
        }
      }
    }
    List<Double> starts = new ArrayList<>();
    List<Double> heap = new ArrayList<>();
    List<Double> rss = new ArrayList<>();
    for (int run = skip(options); run <= options.runs(); run++) {
      try (BenchDb db = BenchDb.h2()) {
        HubProcess.Started hub = HubProcess.start(options, db.env(), List.of(), false);
        try (Processes.Child child = hub.child()) {
          if (run > 0) {
            starts.add(hub.wallSeconds());
            heap.add(Processes.heapAfterGcMiB(child.pid()));
            rss.add(Processes.rssMiB(child.pid()));
          }
        }
      }
    }
    out.add(
        Figure.of("recovery", "start → ready, empty journal", starts, "s")
            .against("hello-world JVM start", helloStart));
    out.add(
        Figure.of("recovery", "idle heap after full GC", heap, "MiB")
            .against("hello-world JVM", helloHeap));
    out.add(Figure.of("recovery", "idle RSS", rss, "MiB").against("hello-world JVM", helloRss));
    out.add(ClassArchiveStarts.run(options));
    try (BenchDb db = BenchDb.h2()) {
      int tasks = options.quick() ? 1_600 : 33_400;
      writeJournal(db, base, tasks);
      long events = countEvents(db, base);
      out.add(startFigure(options, db, events, helloStart));
      if (!options.quick()) {
        replicateTaskEvents(db, base, 1_000_000 - events);
        out.add(startFigure(options, db, countEvents(db, base), helloStart));
      } else {
        notes.add("recovery: --quick skips the 1 000 000-event journal");
      }
    }
    return out;
  }

  private static Figure startFigure(
      Bench.Options options, BenchDb db, long events, List<Double> helloStart) throws Exception {
    List<Double> starts = new ArrayList<>();
    // the journal was written, counted and copied from this JVM: its connections must be gone
    db.awaitReleased();
    for (int run = skip(options); run <= options.runs(); run++) {
      HubProcess.Started hub = HubProcess.start(options, db.env(), List.of(), true);
      hub.child().close();
      if (run > 0) {
        starts.add(hub.wallSeconds());
      }
    }
    return Figure.of(
            "recovery", String.format("start → ready, %,d journaled events", events), starts, "s")
        .against("hello-world JVM start", helloStart);
  }

  /** The discarded first start (file caches, class data) is skipped by --quick: JVMs are slow. */
  private static int skip(Bench.Options options) {
    return options.quick() ? 1 : 0;
  }

  /** Noop tasks through the hub: three events each. */
  static void writeJournal(BenchDb db, Config base, int tasks) throws Exception {
    Hive hive =
        HiveNode.start(
            "hive-bench",
            db.config(base)
                .withValue(
                    "hive.core.tasks.queue-bound", ConfigValueFactory.fromAnyRef(tasks + 10_000)));
    try {
      LoadDriver.get(hive.ready(Duration.ofSeconds(60)));
      LoadDriver.registerNoopAgents(hive, "bench-agent-", 8);
      LoadDriver.submitAll(hive, "recovery", tasks, 64, t -> {});
      LoadDriver.awaitDrained(hive);
    } finally {
      CoreScenario.stop(hive);
    }
  }

  private static final String COLUMNS =
      "\"deleted\", \"sequence_number\", \"writer\","
          + " \"write_timestamp\", \"adapter_manifest\", \"event_payload\", \"event_ser_id\","
          + " \"event_ser_manifest\", \"meta_payload\", \"meta_ser_id\", \"meta_ser_manifest\"";

  /** Copies the task events under new persistence ids until about {@code missing} more exist. */
  private static void replicateTaskEvents(BenchDb db, Config base, long missing) throws Exception {
    try (Connection c = db.connect(base);
        Statement st = c.createStatement()) {
      long added = 0;
      for (int k = 1; added < missing; k++) {
        added +=
            st.executeUpdate(
                "INSERT INTO \"event_journal\" (\"persistence_id\", "
                    + COLUMNS
                    + ") SELECT CONCAT(\"persistence_id\", '-copy"
                    + k
                    + "'), "
                    + COLUMNS
                    + " FROM \"event_journal\" WHERE \"persistence_id\" LIKE 'Task|%'"
                    + " AND \"persistence_id\" NOT LIKE '%-copy%'");
        c.commit();
      }
      // every event of the hive carries its tag, as the hub would have written it
      st.executeUpdate(
          "INSERT INTO \"event_tag\" (\"event_id\", \"tag\") SELECT"
              + " \"ordering\", 'hive' FROM \"event_journal\" j WHERE NOT EXISTS (SELECT 1 FROM"
              + " \"event_tag\" t WHERE t.\"event_id\" = j.\"ordering\")");
      c.commit();
    }
  }

  private static long countEvents(BenchDb db, Config base) throws Exception {
    try (Connection c = db.connect(base);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM \"event_journal\"")) {
      rs.next();
      long n = rs.getLong(1);
      c.rollback();
      return n;
    }
  }
}
