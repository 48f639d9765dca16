package io.agenthive.bench;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;

/**
 * {@code ./hive bench cluster}: a hive of real node processes on one PostgreSQL. End-to-end noop
 * tasks/s with 1, 2 and 3 nodes (every node a JVM of its own on this machine's cores: three nodes
 * share two cores), beside the journal plugin alone on the same database in the same run; and
 * failover: SIGKILL of the node the matcher runs on until a task submitted through a survivor is
 * started, beside the same hand-over after a clean stop (SIGTERM), round by round.
 */
final class ClusterScenario {
  private static final String AGENT =
      "{\"name\":\"bench\",\"type\":\"worker\",\"skill\":\"noop\","
          + "\"max_concurrency\":8,\"capabilities\":[{\"name\":\"bench.cluster\",\"proficiency\":0.9}]}";
  static final String TASK =
      "{\"title\":\"bench\",\"required_capabilities\":"
          + "[{\"name\":\"bench.cluster\",\"minimum_proficiency\":0.5}]}";
  static final int CONNECTIONS = 32;

  /**
   * The failover rounds run under this steady flow of new tasks (about a third of what the three
   * nodes accept in the soak here), as a serving hive would: a node restarted the round before has
   * shards and has run tasks by the next round, and every acknowledged task must still complete
   * exactly once.
   */
  private static final int FLOW_PER_SECOND = 40;

  private ClusterScenario() {}

  static List<Figure> run(Bench.Options options, Config base, List<String> notes) throws Exception {
    if (skippedWithoutPostgres("cluster", notes)) {
      return List.of();
    }
    List<Figure> out = new ArrayList<>();
    int tasks = options.quick() ? 400 : 3000;
    for (int size = 1; size <= 3; size++) {
      out.add(throughput(options, base, size, tasks));
    }
    out.addAll(failover(options, base, notes));
    notes.add(
        "cluster: every node is its own JVM on this machine; 2 and 3 nodes share its cores,"
            + " so more nodes add coordination here, not capacity");
    return out;
  }

  /**
   * {@code ./hive bench failover}: the failover rounds (and the soak before them) without the
   * throughput runs, for tuning the failure detector and the resolver.
   */
  static List<Figure> failoverOnly(Bench.Options options, Config base, List<String> notes)
      throws Exception {
    return skippedWithoutPostgres("failover", notes) ? List.of() : failover(options, base, notes);
  }

  private static boolean skippedWithoutPostgres(String scenario, List<String> notes) {
    if (BenchDb.postgresAvailable()) {
      return false;
    }
    notes.add(
        scenario
            + " skipped: no PostgreSQL at "
            + BenchDb.PG_URL
            + " (bash deploy/postgres/local-test-db.sh starts one)");
    return true;
  }

  private static Figure throughput(Bench.Options options, Config base, int size, int tasks)
      throws Exception {
    List<Double> rates = new ArrayList<>();
    List<Double> ceiling = new ArrayList<>();
    try (BenchDb db = BenchDb.postgres().orElseThrow();
        BenchCluster cluster = new BenchCluster(options, db, size)) {
      cluster.startAll();
      for (int a = 0; a < 4; a++) {
        cluster.post(a % size, "/api/agents", AGENT, null);
      }
      int done = flow(cluster, tasks / 4, 0); // warm-up
      for (int run = 0; run < options.runs(); run++) {
        long start = System.nanoTime();
        done = flow(cluster, tasks, done);
        rates.add(tasks / ((System.nanoTime() - start) / 1e9));
        ceiling.add(JournalPluginCeiling.tasksPerSecond(db.config(base), tasks));
      }
    }
    return Figure.of(
            "cluster",
            size
                + " node"
                + (size > 1 ? "s" : "")
                + ": end-to-end noop"
                + " tasks ("
                + CONNECTIONS
                + " connections, round-robin)",
            rates,
            "tasks/s")
        .against("journal plugin alone, same PostgreSQL", ceiling);
  }

  /** Submits {@code n} tasks round-robin; returns once the hive counts them all completed. */
  private static int flow(BenchCluster cluster, int n, int completedBefore) throws Exception {
    int accepted = submit(cluster, i -> i < n, Duration.ofMinutes(30));
    return awaitCompleted(cluster, completedBefore + accepted);
  }

  /**
   * Submits tasks round-robin over {@link #CONNECTIONS} connections for as long as {@code more}
   * holds for the next task's number; returns how many were accepted.
   */
  static int submit(BenchCluster cluster, IntPredicate more, Duration limit) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS);
    AtomicInteger next = new AtomicInteger();
    AtomicInteger accepted = new AtomicInteger();
    for (int c = 0; c < CONNECTIONS; c++) {
      pool.execute(
          () -> {
            for (int i = next.getAndIncrement(); more.test(i); i = next.getAndIncrement()) {
              if (cluster.post(i % cluster.size(), "/api/tasks", TASK, null).status() == 201) {
                accepted.incrementAndGet();
              }
            }
          });
    }
    pool.shutdown();
    if (!pool.awaitTermination(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      pool.shutdownNow();
      throw new IllegalStateException("submissions did not stop within " + limit);
    }
    return accepted.get();
  }

  /** Returns once the hive counts {@code target} tasks completed. */
  static int awaitCompleted(BenchCluster cluster, int target) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    while (cluster.get(0, "/api/hive/status").path("tasks").path("completed").asInt() < target) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(target + " tasks not completed within 10 minutes");
      }
      Thread.sleep(20); // allowed: the harness polls the hive's counts
    }
    return target;
  }

  private static List<Figure> failover(Bench.Options options, Config base, List<String> notes)
      throws Exception {
    int rounds = options.quick() ? 2 : Math.max(5, options.runs());
    List<Double> killed = new ArrayList<>();
    List<Double> stopped = new ArrayList<>();
    List<FailoverTimeline.Round> timelines = new ArrayList<>();
    try (BenchDb db = BenchDb.postgres().orElseThrow();
        BenchCluster cluster = new BenchCluster(options, db, 3)) {
      cluster.startAll();
      for (int a = 0; a < 4; a++) {
        cluster.post(a % 3, "/api/agents", AGENT, null);
      }
      notes.add(FalseSuspicions.soak(cluster, options.quick() ? 10 : 120, base));
      SteadyFlow flow = SteadyFlow.start(cluster, FLOW_PER_SECOND);
      try {
        for (int round = 0; round < rounds; round++) {
          killed.add(handOver(cluster, true, timelines));
          stopped.add(handOver(cluster, false, timelines));
        }
      } finally {
        flow.close();
      }
      notes.add(flow.finish(db, base));
    }
    notes.add(FailoverTimeline.medians(timelines));
    return List.of(
        Figure.of(
                "cluster",
                "failover: kill -9 of the matcher's node until a task"
                    + " submitted through a survivor starts",
                killed,
                "s")
            .against("the same after a clean stop (SIGTERM)", stopped));
  }

  /**
   * Ends the matcher's node, times until a new task is started, and starts the node again. After a
   * kill, adds to {@code timelines} what the survivors' logs say of the round.
   */
  private static double handOver(
      BenchCluster cluster, boolean kill, List<FailoverTimeline.Round> timelines) throws Exception {
    int victim = cluster.oldest(0);
    int survivor = (victim + 1) % 3;
    Instant killedAt = Instant.now();
    long start = System.nanoTime();
    if (kill) {
      cluster.kill(victim);
    } else {
      cluster.nodes(victim).process().destroy();
    }
    String key = UUID.randomUUID().toString();
    String id = null;
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    List<Integer> answers = new ArrayList<>();
    while (id == null) { // 503s while the shards and the matcher move: retried as the same task
      BenchCluster.Reply r = cluster.post(survivor, "/api/tasks", TASK, key);
      answers.add(r.status());
      id = r.status() / 100 == 2 ? r.json().path("id").asText() : null;
      if (id == null) {
        pastDeadline(deadline, "the probe task was not accepted");
        Thread.sleep(20); // allowed: the harness paces its retries
      }
    }
    double accepted = (System.nanoTime() - start) / 1e9;
    while (cluster.get(survivor, "/api/tasks/" + id).path("status").asText().equals("pending")) {
      pastDeadline(deadline, "the probe task did not start");
      Thread.sleep(20); // allowed: the harness polls for the probe task's start
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    if (seconds > 110) {
      throw new IllegalStateException("no failover within two minutes");
    }
    System.err.printf(
        "bench: %s: the probe accepted after %.2f s (answers %s), started after %.2f s%n",
        kill ? "kill -9" : "SIGTERM", accepted, answers, seconds);
    if (kill) {
      List<Path> survivors = new ArrayList<>();
      for (int i = 0; i < cluster.size(); i++) {
        if (i != victim) {
          survivors.add(cluster.nodes(i).log());
        }
      }
      FailoverTimeline.Round round = FailoverTimeline.of(survivors, killedAt);
      timelines.add(round);
      System.err.println("bench: kill -9: " + round.describe());
    }
    cluster.nodes(victim).process().waitFor();
    cluster.start(victim);
    cluster.awaitReady(victim);
    return seconds;
  }

  private static void pastDeadline(long deadline, String what) {
    if (System.nanoTime() > deadline) {
      throw new IllegalStateException(what + " within two minutes of losing the node");
    }
  }
}
