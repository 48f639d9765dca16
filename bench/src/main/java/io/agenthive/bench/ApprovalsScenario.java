package io.agenthive.bench;

import com.typesafe.config.Config;
import io.agenthive.hive.Hive;
import io.agenthive.launcher.LoadDriver;
import io.agenthive.task.TaskGate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Open approvals cost the hot path nothing: the core scenario's noop tasks (H2) with {@link #OPEN}
 * approvals waiting for a person, against the same load with none, measured back to back in each
 * run on fresh databases (the ceiling is the run without; the ratio should stay near 1).
 */
final class ApprovalsScenario {
  static final int OPEN = 1_000;
  private static final int AGENTS = 8;
  private static final int CONCURRENCY = 64;

  private ApprovalsScenario() {}

  static List<Figure> run(Bench.Options options, Config base, List<String> notes) throws Exception {
    int tasks = options.quick() ? 500 : 3000;
    List<Double> with = new ArrayList<>();
    List<Double> without = new ArrayList<>();
    for (int run = options.quick() ? 1 : 0; run <= options.runs(); run++) {
      // alternate which goes first, so a warming machine favours neither
      boolean openFirst = run % 2 == 1;
      double a = rate(base, tasks, openFirst ? OPEN : 0);
      double b = rate(base, tasks, openFirst ? 0 : OPEN);
      double withOpen = openFirst ? a : b;
      double none = openFirst ? b : a;
      System.err.printf(
          "bench: approvals run %d: %.0f tasks/s with %d open approvals, %.0f with none%n",
          run, withOpen, OPEN, none);
      if (run > 0) {
        with.add(withOpen);
        without.add(none);
      }
    }
    notes.add("approvals: H2 only; each run measures both loads on fresh databases");
    return List.of(
        Figure.of(
                "approvals/h2",
                String.format("end-to-end noop tasks with %,d open approvals", OPEN),
                with,
                "tasks/s")
            .against("the same load with no open approval, same run", without));
  }

  private static double rate(Config base, int tasks, int openApprovals) throws Exception {
    try (BenchDb db = BenchDb.h2()) {
      Hive hive = CoreScenario.start(db, base, tasks);
      try {
        LoadDriver.registerNoopAgents(hive, "bench-agent-", AGENTS);
        open(hive, openApprovals);
        long start = System.nanoTime();
        LoadDriver.submitAll(hive, "approvals", tasks, CONCURRENCY, t -> {});
        LoadDriver.awaitDrained(hive);
        return tasks / ((System.nanoTime() - start) / 1e9);
      } finally {
        CoreScenario.stop(hive);
      }
    }
  }

  /** {@code n} approvals nobody decides during the run, journaled before it starts. */
  private static void open(Hive hive, int n) throws Exception {
    TaskGate gate =
        TaskGate.approval(new TaskGate.Approval("ship it?", List.of("role:admin"), null, null));
    List<CompletableFuture<?>> made = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      made.add(
          hive.tasks()
              .submitTask(LoadDriver.task("approval", i).withGate(gate))
              .toCompletableFuture());
      if (made.size() >= CONCURRENCY) {
        CompletableFuture.allOf(made.toArray(CompletableFuture[]::new)).get();
        made.clear();
      }
    }
    CompletableFuture.allOf(made.toArray(CompletableFuture[]::new)).get();
  }
}
