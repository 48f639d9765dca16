package io.agenthive.bench;

import com.typesafe.config.Config;
import io.agenthive.access.Principal;
import io.agenthive.hive.Hive;
import io.agenthive.launcher.LoadDriver;
import io.agenthive.task.TaskSpec;
import io.agenthive.workflow.WorkflowSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Scenario: a fan-out/fan-in workflow of {@link #TASKS} noop tasks (one first step, {@code TASKS -
 * 2} steps that each wait for it, one last step that waits for all of those) end to end, from the
 * request to the last step's completion. Ceiling, in the same run on a fresh database: the same
 * number of tasks without edges, submitted 64 at a time. The difference is what dependencies cost:
 * the blocked journaling, the release of each step and the join's 998 outputs.
 */
final class WorkflowScenario {
  static final int TASKS = 1_000;
  private static final int AGENTS = 8;

  private WorkflowScenario() {}

  static List<Figure> run(Bench.Options options, Config base, List<String> notes) throws Exception {
    int tasks = options.quick() ? 200 : TASKS;
    List<Double> workflow = new ArrayList<>();
    List<Double> plain = new ArrayList<>();
    for (int run = options.quick() ? 1 : 0; run <= options.runs(); run++) {
      double withEdges = timed(base, tasks, true);
      double without = timed(base, tasks, false);
      System.err.printf(
          "bench: workflow run %d: fan-out/fan-in %.0f ms, the same tasks without edges %.0f ms%n",
          run, withEdges, without);
      if (run > 0) {
        workflow.add(tasks / (withEdges / 1000));
        plain.add(tasks / (without / 1000));
      }
    }
    return List.of(
        Figure.of(
                "workflow/h2",
                String.format("%d-task fan-out/fan-in workflow, end to end", tasks),
                workflow,
                "tasks/s")
            .against(String.format("the same %d noop tasks without edges", tasks), plain));
  }

  /** Milliseconds from the first submission to the last completion, on a fresh H2 database. */
  private static double timed(Config base, int tasks, boolean edges) throws Exception {
    try (BenchDb db = BenchDb.h2()) {
      Hive hive = CoreScenario.start(db, base, tasks);
      try {
        LoadDriver.registerNoopAgents(hive, "bench-agent-", AGENTS);
        long start = System.nanoTime();
        if (edges) {
          var created = LoadDriver.get(hive.workflows().submit(fanOutFanIn(tasks), Principal.HUB));
          while (!LoadDriver.get(hive.workflows().get(created.id()))
              .map(w -> "completed".equals(w.endedAs()))
              .orElse(false)) {
            Thread.sleep(20); // allowed: the driver's own thread polls for the end of the run
          }
        } else {
          LoadDriver.submitAll(hive, "plain", tasks, 64, t -> {});
          LoadDriver.awaitDrained(hive);
        }
        return (System.nanoTime() - start) / 1e6;
      } finally {
        CoreScenario.stop(hive);
      }
    }
  }

  private static WorkflowSpec fanOutFanIn(int tasks) {
    List<WorkflowSpec.Step> steps = new ArrayList<>();
    steps.add(new WorkflowSpec.Step("first", spec(0), List.of(), false));
    List<String> middle = new ArrayList<>();
    for (int i = 1; i < tasks - 1; i++) {
      String name = "part-" + i;
      middle.add(name);
      steps.add(new WorkflowSpec.Step(name, spec(i), List.of("first"), false));
    }
    steps.add(new WorkflowSpec.Step("last", spec(tasks - 1), middle, false));
    return new WorkflowSpec("fan-out-fan-in", steps, null);
  }

  /** The load driver's task without its idempotency key (a workflow's steps have none). */
  private static TaskSpec spec(int i) {
    TaskSpec t = LoadDriver.task("wf", i);
    return new TaskSpec(
        t.title(),
        t.description(),
        t.type(),
        t.priority(),
        t.requiredCapabilities(),
        t.input(),
        null,
        null,
        null,
        null);
  }
}
