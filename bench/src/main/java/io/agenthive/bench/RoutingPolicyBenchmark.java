package io.agenthive.bench;

import io.agenthive.routing.RoutingPolicy;
import io.agenthive.routing.RoutingPolicy.IdleAgent;
import io.agenthive.routing.RoutingPolicy.PendingTask;
import io.agenthive.task.Priority;
import io.agenthive.task.RequiredCapability;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Scenario 4 (JMH): one call of the pure assignment function over a deep queue and N idle
 * agents, every agent qualified, so a call makes min(queue, agents) assignments. {@code
 * arrayScan} is the ceiling: the same assignments (same serving order, best remaining score
 * wins) as a scan over primitive arrays, without candidates, sorting or reasons.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RoutingPolicyBenchmark {
  @Param({"10", "1000", "100000"})
  public int agents;

  @Param({"1000"})
  public int queue;

  private final RoutingPolicy policy = new RoutingPolicy(Duration.ofSeconds(60), 5);
  private List<PendingTask> pending;
  private List<IdleAgent> idle;
  private double[] scores;
  private Instant now;

  @Setup
  public void setUp() {
    Random random = new Random(42);
    now = Instant.parse("2026-01-01T00:00:00Z");
    idle = new ArrayList<>(agents);
    scores = new double[agents];
    for (int i = 0; i < agents; i++) {
      double proficiency = 0.5 + random.nextDouble() / 2;
      scores[i] = proficiency;
      idle.add(new IdleAgent("agent-" + i, Map.of("bench", proficiency, "other", 0.3),
          now.minusMillis(random.nextInt(1_000_000))));
    }
    pending = new ArrayList<>(queue);
    for (int i = 0; i < queue; i++) {
      pending.add(new PendingTask("task-" + i, Priority.values()[i % 4],
          List.of(new RequiredCapability("bench", 0.5)), i, now.minusMillis(i), null));
    }
  }

  @Benchmark
  public List<RoutingPolicy.Assignment> policy() {
    return policy.assign(pending, idle, now);
  }

  @Benchmark
  public int arrayScan() {
    boolean[] taken = new boolean[scores.length];
    int assigned = 0;
    int checksum = 0;
    for (int t = 0; t < queue && assigned < scores.length; t++) {
      int best = -1;
      for (int a = 0; a < scores.length; a++) {
        if (!taken[a] && (best < 0 || scores[a] > scores[best])) {
          best = a;
        }
      }
      taken[best] = true;
      assigned++;
      checksum += best;
    }
    return checksum;
  }
}
