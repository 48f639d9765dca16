package io.agenthive.bench;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.agenthive.agent.AgentSpec;
import io.agenthive.agent.Capability;
import io.agenthive.hive.Hive;
import io.agenthive.launcher.LoadDriver;
import io.agenthive.persistence.HiveNode;
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
 * Scenario 5: agents registered per second (each one journaled by the coordinator and by the
 * agent itself, then spawned and announced to the board) and heap per idle agent, in steps up to
 * 100 000 agents on one node (H2). Ceiling: spawning the same number of empty actors in a plain
 * actor system in the same JVM, and the heap each of those takes.
 */
final class ScaleScenario {
  private static final int IN_FLIGHT = 32;

  private ScaleScenario() {}

  static List<Figure> run(Bench.Options options, Config base, List<String> notes)
      throws Exception {
    int[] steps = options.quick() ? new int[] {300, 600} : new int[] {1_000, 10_000, 100_000};
    // bounded duration: a step whose projected time would pass the budget is not started
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
        double rate = 0;
        long scenarioStart = System.nanoTime();
        for (int step : steps) {
          double elapsed = (System.nanoTime() - scenarioStart) / 1e9;
          if (rate > 0 && elapsed + (step - registered) / rate > budget.toSeconds()) {
            notes.add(String.format("scale: stopped at %,d agents; %,d more at %.0f agents/s"
                + " would pass the scenario's %d-minute budget", registered, step - registered,
                rate, budget.toMinutes()));
            break;
          }
          long start = System.nanoTime();
          register(hive, registered, step);
          rate = (step - registered) / ((System.nanoTime() - start) / 1e9);
          registered = step;
          double perAgentKiB = (Processes.heapAfterGcMiB(pid) - baseHeap) * 1024 / step;
          Ceiling ceiling = emptyActors(step);
          String at = String.format("%,d", step);
          out.add(Figure.of("scale", "agents registered, up to " + at, List.of(rate),
              "agents/s").against("empty actors spawned", List.of(ceiling.perSecond())));
          out.add(Figure.of("scale", "heap per idle agent at " + at, List.of(perAgentKiB),
              "KiB").against("per empty actor", List.of(ceiling.kibPerActor())));
          System.err.printf("bench: scale %s agents: %.0f agents/s, %.1f KiB each%n", at, rate,
              perAgentKiB);
        }
      } finally {
        CoreScenario.stop(hive);
      }
    }
    return out;
  }

  private static void register(Hive hive, int from, int to) throws Exception {
    Semaphore inFlight = new Semaphore(IN_FLIGHT);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    for (int i = from; i < to && failure.get() == null; i++) {
      inFlight.acquire();
      hive.registerAgent(new AgentSpec("scale-" + i, "worker",
              List.of(new Capability("scale", 0.5, 0.1)), SkillRef.named(NoopSkill.NAME)))
          .whenComplete((a, e) -> {
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
  }

  record Ceiling(double perSecond, double kibPerActor) {}

  /** Spawns {@code n} empty actors in a fresh actor system of this JVM. */
  private static Ceiling emptyActors(int n) throws Exception {
    long pid = ProcessHandle.current().pid();
    double before = Processes.heapAfterGcMiB(pid);
    CompletableFuture<Double> spawned = new CompletableFuture<>();
    Behavior<Void> parent = Behaviors.setup(ctx -> {
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        ctx.spawn(Behaviors.<String>receiveMessage(m -> Behaviors.same()), "a" + i);
      }
      spawned.complete(n / ((System.nanoTime() - start) / 1e9));
      return Behaviors.empty();
    });
    ActorSystem<Void> system = ActorSystem.create(parent, "ceiling",
        ConfigFactory.parseString("akka.actor.provider = local"));
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
