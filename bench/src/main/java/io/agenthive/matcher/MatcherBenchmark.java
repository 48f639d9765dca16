package io.agenthive.matcher;

import io.agenthive.agent.Agent;
import io.agenthive.agent.AgentState;
import io.agenthive.agent.Capability;
import io.agenthive.agent.MatcherLink.SlotRelease;
import io.agenthive.skill.SkillRef;
import io.agenthive.task.Priority;
import io.agenthive.task.RequiredCapability;
import io.agenthive.task.TaskQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Scenario 4 (JMH): one matching round of the hub's matcher over a queue of 1 000 tasks and N idle
 * agents, every agent qualified, so a round makes min(queue, agents) assignments, each with its
 * reason (qualified count, best candidates). Between rounds (not measured) every assignment is
 * handed back, so each round starts from the same queue and the same idle agents. {@code arrayScan}
 * is the ceiling: the same assignments (best remaining score wins) as a scan over primitive arrays,
 * without reasons. Lives in the matcher's package to drive it directly.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class MatcherBenchmark {
  @Param({"10", "1000", "100000"})
  public int agents;

  @Param({"1000"})
  public int queue;

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private List<Agent> registered;
  private List<TaskQueue.QueuedTask> tasks;
  private double[] scores;
  private Matching matching;
  private List<Matching.Action> lastRound = List.of();

  @Setup(Level.Trial)
  public void createHive() {
    Random random = new Random(42);
    registered = new ArrayList<>(agents);
    scores = new double[agents];
    for (int i = 0; i < agents; i++) {
      double proficiency = 0.5 + random.nextDouble() / 2;
      scores[i] = proficiency;
      registered.add(
          new Agent(
              "agent-" + i,
              "agent-" + i,
              "worker",
              SkillRef.named("noop"),
              List.of(new Capability("bench", proficiency, 0.1), new Capability("other", 0.3, 0.1)),
              AgentState.IDLE,
              0,
              0,
              0,
              0,
              NOW,
              NOW,
              List.of(),
              1));
    }
    tasks = new ArrayList<>(queue);
    for (int i = 0; i < queue; i++) {
      tasks.add(
          new TaskQueue.QueuedTask(
              "task-" + i,
              Priority.values()[i % 4],
              List.of(new RequiredCapability("bench", 0.5)),
              NOW.minusMillis(queue - i)));
    }
  }

  @Setup(Level.Trial)
  public void fillMatcher() {
    matching = new Matching(Duration.ofSeconds(60), 5, queue * 2);
    registered.forEach(matching::joined);
    tasks.forEach(t -> matching.admit(t, NOW));
    matching.drain();
  }

  /** Hands back what the last round assigned: the agents free again, the tasks queued again. */
  @Setup(Level.Invocation)
  public void handBack() {
    for (Matching.Action a : lastRound) {
      Matching.Dispatch d = (Matching.Dispatch) a;
      matching.slotFreed(d.agentId(), d.taskId(), SlotRelease.DECLINED, NOW);
    }
    matching.drain();
  }

  @Benchmark
  public List<Matching.Action> matcher() {
    matching.dispatch(NOW);
    lastRound = matching.drain();
    return lastRound;
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
