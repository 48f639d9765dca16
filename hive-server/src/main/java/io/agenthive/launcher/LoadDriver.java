package io.agenthive.launcher;

import io.agenthive.access.Principal;
import io.agenthive.agent.AgentSpec;
import io.agenthive.agent.Capability;
import io.agenthive.hive.Hive;
import io.agenthive.matcher.HiveCounts;
import io.agenthive.skill.NoopSkill;
import io.agenthive.skill.SkillRef;
import io.agenthive.task.Priority;
import io.agenthive.task.RequiredCapability;
import io.agenthive.task.Task;
import io.agenthive.task.TaskSpec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Drives a hub through its public API the way {@code ./hive load} does: noop agents with the {@code
 * load} capability, tasks needing it, a bounded number of submissions in flight. The benchmark
 * harness uses the same driver, so its figures come from the product's own path.
 */
public final class LoadDriver {
  public static final String CAPABILITY = "load";

  private LoadDriver() {}

  /** How many tasks each load agent runs at once: a noop run costs nothing to overlap. */
  public static final int AGENT_CONCURRENCY = 8;

  public static void registerNoopAgents(Hive hive, String prefix, int count) throws Exception {
    for (int i = 0; i < count; i++) {
      get(
          hive.agents()
              .register(
                  new AgentSpec(
                      prefix + i,
                      "worker",
                      List.of(new Capability(CAPABILITY, 1.0, 0.0)),
                      SkillRef.named(NoopSkill.NAME),
                      AGENT_CONCURRENCY),
                  Principal.HUB));
    }
  }

  /** Task number {@code i} of a run: priorities rotate, the key makes a resubmission idempotent. */
  public static TaskSpec task(String run, int i) {
    return new TaskSpec(
        run + " " + i,
        "",
        "load",
        Priority.values()[i % 4],
        List.of(new RequiredCapability(CAPABILITY, 0.5)),
        null,
        null,
        null,
        null,
        run + "-" + i);
  }

  /** Submits {@code tasks} tasks, at most {@code concurrency} unanswered; {@code acked} per ack. */
  public static void submitAll(
      Hive hive, String run, int tasks, int concurrency, Consumer<Task> acked) throws Exception {
    Semaphore inFlight = new Semaphore(concurrency);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicInteger answered = new AtomicInteger();
    for (int i = 0; i < tasks && failure.get() == null; i++) {
      inFlight.acquire();
      hive.tasks()
          .submitTask(task(run, i))
          .whenComplete(
              (task, error) -> {
                if (error != null) {
                  failure.compareAndSet(null, error);
                } else {
                  acked.accept(task);
                }
                answered.incrementAndGet();
                inFlight.release();
              });
    }
    inFlight.acquire(concurrency);
    if (failure.get() != null) {
      throw new IllegalStateException("a submission failed after " + answered.get(), failure.get());
    }
  }

  /** Returns when no task is waiting for an agent or out with one. */
  public static void awaitDrained(Hive hive) throws Exception {
    while (true) {
      HiveCounts q = get(hive.ready(Duration.ofSeconds(10)));
      if (q.pending() == 0 && q.inFlight() == 0) {
        return;
      }
      Thread.sleep(20); // allowed: the driver's own thread polls for the end of the run
    }
  }

  public static <T> T get(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
