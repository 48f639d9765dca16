package io.agenthive.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Scenario 4: runs {@link io.agenthive.matcher.MatcherBenchmark} with JMH in a forked JVM. */
final class RoutingScenario {
  private RoutingScenario() {}

  static List<Figure> run(Bench.Options options, List<String> notes) throws Exception {
    String[] agents =
        options.quick() ? new String[] {"10", "1000"} : new String[] {"10", "1000", "100000"};
    if (options.quick()) {
      notes.add("routing: --quick skips 100 000 agents");
    }
    Options jmh =
        new OptionsBuilder()
            .include(io.agenthive.matcher.MatcherBenchmark.class.getName() + "\\.")
            .param("agents", agents)
            .forks(1)
            .warmupIterations(1)
            .warmupTime(TimeValue.seconds(options.quick() ? 1 : 3))
            .measurementIterations(options.quick() ? 1 : Math.max(options.runs(), 2))
            .measurementTime(TimeValue.seconds(options.quick() ? 1 : 3))
            .jvmArgs("-Xmx2g")
            .build();
    Collection<RunResult> results = new Runner(jmh).run();
    Map<String, List<Double>> decisionsPerSecond = new HashMap<>();
    for (RunResult r : results) {
      int n = Integer.parseInt(r.getParams().getParam("agents"));
      int queue = Integer.parseInt(r.getParams().getParam("queue"));
      int perCall = Math.min(n, queue);
      String method = r.getParams().getBenchmark().replaceAll(".*\\.", "");
      List<Double> runs = new ArrayList<>();
      for (BenchmarkResult b : r.getBenchmarkResults()) {
        for (IterationResult it : b.getIterationResults()) {
          runs.add(perCall * 1000.0 / it.getPrimaryResult().getScore()); // score: ms per call
        }
      }
      decisionsPerSecond.put(method + "/" + n, runs);
    }
    List<Figure> out = new ArrayList<>();
    for (String n : agents) {
      out.add(
          Figure.of(
                  "routing",
                  String.format(
                      "matcher assignments, %,d idle agents, queue 1 000", Integer.parseInt(n)),
                  decisionsPerSecond.get("matcher/" + n),
                  "decisions/s")
              .against("array scan, same assignments", decisionsPerSecond.get("arrayScan/" + n)));
    }
    return out;
  }
}
