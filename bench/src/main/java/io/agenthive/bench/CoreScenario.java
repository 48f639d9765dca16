package io.agenthive.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import io.agenthive.hive.Hive;
import io.agenthive.launcher.LoadDriver;
import io.agenthive.node.HiveNode;
import io.agenthive.task.Task;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Scenario 1: tasks through submit → assign → noop skill → complete, every event journaled, on each
 * available database. Peak: tasks/s with 64 submissions in flight. Latency: submit → assigned at
 * half the measured peak, paced. Ceiling: the same database's raw batched JDBC insert of the run's
 * own journal rows ({@link RawInsertCeiling}), as tasks/s. Beside it, outside the gate, the journal
 * plugin alone in two shapes ({@link JournalPluginCeiling.Shape}) against the same ceiling: the
 * most one entity per task could get, and a ledger's batches.
 */
final class CoreScenario {
  private static final int AGENTS = 8;
  private static final int CONCURRENCY = 64;

  private CoreScenario() {}

  static List<Figure> run(Bench.Options options, Config base, List<String> notes) throws Exception {
    List<Figure> out = new ArrayList<>(measure("h2", BenchDb::h2, options, base));
    if (options.quick()) {
      notes.add("core: --quick runs H2 only, without a discarded warm-up run");
    } else if (BenchDb.postgresAvailable()) {
      if (options.gate()) {
        notes.add("core: the gate runs 1 000 tasks per run, on H2 and on PostgreSQL");
      }
      out.addAll(measure("postgres", () -> BenchDb.postgres().orElseThrow(), options, base));
    } else {
      notes.add(
          "core/postgres skipped (and not gated): no PostgreSQL at "
              + BenchDb.PG_URL
              + " (bash deploy/postgres/local-test-db.sh starts one)");
    }
    return out;
  }

  interface DbFactory {
    BenchDb open() throws Exception;
  }

  private static List<Figure> measure(
      String kind, DbFactory dbs, Bench.Options options, Config base) throws Exception {
    int tasks = options.quick() ? 200 : options.gate() ? 1000 : 3000;
    List<Double> rates = new ArrayList<>();
    List<Double> ceilings = new ArrayList<>();
    List<Double> eventsPerTask = new ArrayList<>();
    List<Double> rowsPerTask = new ArrayList<>();
    List<Double> pluginCeilings = new ArrayList<>();
    List<Double> freshIdsSkipped = new ArrayList<>();
    List<Double> ledgers = new ArrayList<>();
    // the first run warms the JVM (JIT, class loading) and is not counted (--quick: no warm-up)
    for (int run = options.quick() ? 1 : 0; run <= options.runs(); run++) {
      try (BenchDb db = dbs.open()) {
        Hive hive = start(db, base, tasks);
        double rate;
        try {
          LoadDriver.registerNoopAgents(hive, "bench-agent-", AGENTS);
          long start = System.nanoTime();
          LoadDriver.submitAll(hive, "core", tasks, CONCURRENCY, t -> {});
          LoadDriver.awaitDrained(hive);
          rate = tasks / ((System.nanoTime() - start) / 1e9);
        } finally {
          stop(hive);
        }
        RawInsertCeiling.Result raw = RawInsertCeiling.measure(db, base);
        double plugin;
        try (BenchDb fresh = dbs.open()) {
          plugin = JournalPluginCeiling.tasksPerSecond(fresh.config(base), tasks);
        }
        double skipped = 0;
        double ledger = 0;
        if (!options.gate()) {
          skipped = shape(dbs, base, options, JournalPluginCeiling.Shape.FRESH_IDS_SKIPPED);
          ledger = shape(dbs, base, options, JournalPluginCeiling.Shape.LEDGER);
        }
        if (run > 0) {
          rates.add(rate);
          freshIdsSkipped.add(skipped);
          ledgers.add(ledger);
          eventsPerTask.add((double) raw.rows() / tasks);
          rowsPerTask.add((double) (raw.rows() + tagRows(db, base)) / tasks);
          pluginCeilings.add(plugin);
          ceilings.add(raw.rowsPerSecond() / ((double) raw.rows() / tasks));
        }
        System.err.printf(
            "bench: core/%s run %d: %.0f tasks/s (raw insert ceiling %.0f"
                + " rows/s, journal plugin alone %.0f tasks/s;"
                + " fresh ids skipped %.0f, ledger %.0f)%n",
            kind, run, rate, raw.rowsPerSecond(), plugin, skipped, ledger);
      }
    }
    double peak = Figure.median(rates);
    List<Double> latencies =
        latencyAt(dbs, base, peak / 2, options.quick() ? 100 : options.gate() ? 300 : 1500);
    String scenario = "core/" + kind;
    List<Figure> out = new ArrayList<>();
    out.addAll(
        List.of(
            Figure.of(scenario, "end-to-end noop tasks", rates, "tasks/s")
                .against("raw batched insert of the same rows, as tasks/s", ceilings),
            Figure.of(scenario, "end-to-end noop tasks (again)", rates, "tasks/s")
                .against(
                    "the journal plugin alone, 3 events per fresh entity, as tasks/s",
                    pluginCeilings),
            Figure.of(scenario, "journal events per task", eventsPerTask, "events"),
            Figure.of(scenario, "journal rows per task, tag rows included", rowsPerTask, "rows"),
            Figure.of(
                scenario,
                String.format("submit→assigned p50 at %.0f tasks/s", peak / 2),
                List.of(Figure.percentile(latencies, 50)),
                "ms"),
            Figure.of(
                scenario,
                String.format("submit→assigned p99 at %.0f tasks/s", peak / 2),
                List.of(Figure.percentile(latencies, 99)),
                "ms")));
    if (!options.gate()) {
      // what the journal alone could carry in the hub's design at best, and written in batches
      String raw = "raw batched insert of the same rows, as tasks/s";
      out.add(
          Figure.of(
                  scenario,
                  "journal alone: fresh entities, no recovery",
                  freshIdsSkipped,
                  "tasks/s")
              .against(raw, ceilings));
      out.add(
          Figure.of(scenario, "journal alone: a ledger, 100 tasks per write", ledgers, "tasks/s")
              .against(raw, ceilings));
    }
    return out;
  }

  /** The journal alone in {@code shape}, on a database of its own (10 000 tasks; --quick 1 000). */
  private static double shape(
      DbFactory dbs, Config base, Bench.Options options, JournalPluginCeiling.Shape shape)
      throws Exception {
    try (BenchDb fresh = dbs.open()) {
      return JournalPluginCeiling.tasksPerSecond(
          fresh.config(base), options.quick() ? 1_000 : 10_000, shape);
    }
  }

  /** Submits at a fixed rate and returns each task's submit → assigned time in ms. */
  private static List<Double> latencyAt(DbFactory dbs, Config base, double rate, int tasks)
      throws Exception {
    try (BenchDb db = dbs.open()) {
      Hive hive = start(db, base, tasks);
      try {
        LoadDriver.registerNoopAgents(hive, "bench-agent-", AGENTS);
        Map<String, Instant> submittedAt = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        for (int i = 0; i < tasks; i++) {
          long due = start + (long) (i * 1e9 / rate);
          long wait = due - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait); // allowed: pacing the load generator's own thread
          }
          Instant at = Instant.now();
          hive.tasks()
              .submitTask(LoadDriver.task("paced", i))
              .thenAccept(t -> submittedAt.put(t.id(), at));
        }
        LoadDriver.awaitDrained(hive);
        List<Double> out = new ArrayList<>();
        for (Map.Entry<String, Instant> e : submittedAt.entrySet()) {
          Optional<Task> task = LoadDriver.get(hive.tasks().get(e.getKey()));
          task.map(Task::assignedAt)
              .ifPresent(
                  assigned -> out.add(Duration.between(e.getValue(), assigned).toNanos() / 1e6));
        }
        return out;
      } finally {
        stop(hive);
      }
    }
  }

  private static long tagRows(BenchDb db, Config base) throws Exception {
    try (java.sql.Connection c = db.connect(base);
        java.sql.Statement st = c.createStatement();
        java.sql.ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM \"event_tag\"")) {
      rs.next();
      long n = rs.getLong(1);
      c.rollback();
      return n;
    }
  }

  static Hive start(BenchDb db, Config base, int tasks) throws Exception {
    Config config =
        db.config(base)
            .withValue(
                "hive.core.tasks.queue-bound",
                ConfigValueFactory.fromAnyRef(Math.max(tasks, 10_000)));
    Hive hive = HiveNode.start("hive-bench", config);
    LoadDriver.get(hive.ready(Duration.ofSeconds(60)));
    return hive;
  }

  static void stop(Hive hive) throws Exception {
    hive.system().terminate();
    hive.system().getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
