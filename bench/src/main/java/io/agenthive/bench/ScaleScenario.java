package io.agenthive.bench;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.agenthive.access.Principal;
import io.agenthive.agent.AgentActor;
import io.agenthive.agent.AgentSpec;
import io.agenthive.agent.Capability;
import io.agenthive.hive.Hive;
import io.agenthive.launcher.LoadDriver;
import io.agenthive.node.HiveNode;
import io.agenthive.skill.NoopSkill;
import io.agenthive.skill.SkillRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Scenario 5: agents registered per second (each one journaled once by its own sharded entity, then
 * known to the matcher) and heap per agent, in steps up to 100 000 agents on one node (H2): right
 * after registering, and once idle agents have left memory (after {@code
 * hive.core.agents.passivate-after}; what stays is the matcher's profile of each). Ceiling:
 * spawning the same number of empty actors in a plain actor system in the same JVM, and the heap
 * each of those takes.
 */
final class ScaleScenario {
  private static final int IN_FLIGHT = 32;

  private ScaleScenario() {}

  static List<Figure> run(Bench.Options options, Config base, List<String> notes) throws Exception {
    int[] steps = options.quick() ? new int[] {300, 600} : new int[] {1_000, 10_000, 100_000};
    // bounded duration: registration stops when the budget runs out, even within a step
    Duration budget = Duration.ofMinutes(options.quick() ? 1 : 15);
    if (options.quick()) {
      notes.add("scale: --quick stops at 600 agents");
    }
    List<Figure> out = new ArrayList<>();
    long pid = ProcessHandle.current().pid();
    try (BenchDb db = BenchDb.h2()) {
      Hive hive = HiveNode.start("hive-bench", db.config(base));
      try {
        LoadDriver.get(hive.ready(Duration.ofSeconds(60)));
        double baseHeap = Processes.heapAfterGcMiB(pid);
        int registered = 0;
        long deadline = System.nanoTime() + budget.toNanos();
        for (int step : steps) {
          long start = System.nanoTime();
          int reached = register(hive, registered, step, deadline);
          double rate = (reached - registered) / ((System.nanoTime() - start) / 1e9);
          registered = reached;
          double justRegisteredKiB = (Processes.heapAfterGcMiB(pid) - baseHeap) * 1024 / reached;
          awaitIdleAgentsPassivated(hive, notes);
          double perAgentKiB = (Processes.heapAfterGcMiB(pid) - baseHeap) * 1024 / reached;
          Ceiling ceiling = emptyActors(reached);
          String at = String.format("%,d", reached);
          out.add(
              Figure.of("scale", "agents registered, up to " + at, List.of(rate), "agents/s")
                  .against("empty actors spawned", List.of(ceiling.perSecond())));
          out.add(
              Figure.of(
                      "scale",
                      "heap per agent just registered, at " + at,
                      List.of(justRegisteredKiB),
                      "KiB")
                  .against("per empty actor", List.of(ceiling.kibPerActor())));
          out.add(
              Figure.of("scale", "heap per idle agent at " + at, List.of(perAgentKiB), "KiB")
                  .against("per empty actor", List.of(ceiling.kibPerActor())));
          System.err.printf(
              "bench: scale %s agents: %.0f agents/s, %.1f KiB each%n", at, rate, perAgentKiB);
          if (reached < step) {
            notes.add(
                String.format(
                    "scale: the %d-minute budget ran out at %,d of %,d agents"
                        + " (%.0f agents/s in the last step)",
                    budget.toMinutes(), reached, step, rate));
            break;
          }
        }
      } finally {
        CoreScenario.stop(hive);
      }
    }
    return out;
  }

  /** Registers agents {@code from..to-1}, stopping early at the deadline; returns how far. */
  private static int register(Hive hive, int from, int to, long deadline) throws Exception {
    Semaphore inFlight = new Semaphore(IN_FLIGHT);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    int i = from;
    for (; i < to && failure.get() == null && System.nanoTime() < deadline; i++) {
      inFlight.acquire();
      hive.agents()
          .register(
              new AgentSpec(
                  "scale-" + i,
                  "worker",
                  List.of(new Capability("scale", 0.5, 0.1)),
                  SkillRef.named(NoopSkill.NAME)),
              Principal.HUB)
          .whenComplete(
              (a, e) -> {
                if (e != null) {
                  failure.compareAndSet(null, e);
                }
                inFlight.release();
              });
    }
    inFlight.acquire(IN_FLIGHT);
    if (failure.get() != null) {
      throw new IllegalStateException("registration failed", failure.get());
    }
    return i;
  }

  /** Waits (up to two minutes) until no agent entity is in memory: all of them are idle. */
  private static void awaitIdleAgentsPassivated(Hive hive, List<String> notes) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (liveAgents(hive) > 0) {
      if (System.nanoTime() > deadline) {
        notes.add("scale: agents were still in memory two minutes after registering");
        return;
      }
      Thread.sleep(500); // allowed: the harness polls the hub it measures
    }
  }

  private static int liveAgents(Hive hive) throws Exception {
    var state =
        AskPattern
            .<akka.cluster.sharding.typed.GetShardRegionState,
                akka.cluster.sharding.ShardRegion.CurrentShardRegionState>
                ask(
                    ClusterSharding.get(hive.system()).shardState().narrow(),
                    replyTo ->
                        new akka.cluster.sharding.typed.GetShardRegionState(
                            AgentActor.TYPE_KEY, replyTo),
                    Duration.ofSeconds(10),
                    hive.system().scheduler());
    return state.toCompletableFuture().get(15, TimeUnit.SECONDS).getShards().stream()
        .mapToInt(s -> s.getEntityIds().size())
        .sum();
  }

  record Ceiling(double perSecond, double kibPerActor) {}

  /** Spawns {@code n} empty actors in a fresh actor system of this JVM. */
  private static Ceiling emptyActors(int n) throws Exception {
    long pid = ProcessHandle.current().pid();
    double before = Processes.heapAfterGcMiB(pid);
    CompletableFuture<Double> spawned = new CompletableFuture<>();
    Behavior<Void> parent =
        Behaviors.setup(
            ctx -> {
              long start = System.nanoTime();
              for (int i = 0; i < n; i++) {
                ctx.spawn(Behaviors.<String>receiveMessage(m -> Behaviors.same()), "a" + i);
              }
              spawned.complete(n / ((System.nanoTime() - start) / 1e9));
              return Behaviors.empty();
            });
    ActorSystem<Void> system =
        ActorSystem.create(
            parent, "ceiling", ConfigFactory.parseString("akka.actor.provider = local"));
    try {
      double rate = spawned.get(5, TimeUnit.MINUTES);
      double after = Processes.heapAfterGcMiB(pid);
      return new Ceiling(rate, (after - before) * 1024 / n);
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(1, TimeUnit.MINUTES);
    }
  }
}
