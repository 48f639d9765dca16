package io.agenthive.bench;

import com.typesafe.config.Config;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Tasks submitted at a steady pace through the cluster's nodes while its failover rounds run, the
 * way a careful client submits: every task under an idempotency key of its own, sent again (to the
 * next node) until the hive acknowledges it. A node that was just killed, stopped or is still
 * starting refuses or drops the request, and the same key through another node names the same task.
 * Four such clients, each waiting for its answer before it sends its next task: while a hand-over
 * lasts, at most four submissions wait and new ones pause. Afterwards the journal is asked whether
 * every acknowledged task completed, and whether any task completed twice: the failover figure is
 * only worth having with 0 and 0 beside it.
 */
final class SteadyFlow implements AutoCloseable {
  private static final int SENDERS = 4;
  private static final long RETRY_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private final BenchCluster cluster;
  private final int perSecond;
  private final ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
  private final AtomicInteger resent = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();
  private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
  private final long startedAt = System.nanoTime();
  private volatile long stoppedAt;
  private final AtomicInteger nextNode = new AtomicInteger();

  private SteadyFlow(BenchCluster cluster, int perSecond) {
    this.cluster = cluster;
    this.perSecond = perSecond;
  }

  /** Starts submitting {@code perSecond} tasks a second in all, round-robin over the nodes. */
  static SteadyFlow start(BenchCluster cluster, int perSecond) {
    SteadyFlow flow = new SteadyFlow(cluster, perSecond);
    for (int s = 0; s < SENDERS; s++) {
      int sender = s;
      flow.senders.execute(() -> flow.send(sender));
    }
    return flow;
  }

  private void send(int sender) {
    long period = TimeUnit.SECONDS.toNanos(1) * SENDERS / perSecond;
    long next = System.nanoTime() + period * sender / SENDERS; // the senders take turns
    while (running.get()) {
      LockSupport.parkNanos(next - System.nanoTime()); // allowed: the harness paces its submissions
      if (!running.get()) {
        return;
      }
      try {
        submitOne();
      } catch (RuntimeException e) {
        failure.compareAndSet(null, e);
        return;
      }
      // a sender that waited on a failover goes on at its pace; it does not make up for the wait
      next = Math.max(next + period, System.nanoTime());
    }
  }

  /**
   * One task, sent until the hive acknowledges it: no answer (a node down or dropping the request),
   * 429 and 5xx are tried again through the next node (the key makes every try the same task); any
   * other answer is a refusal, counted and not sent again.
   */
  private void submitOne() {
    String key = UUID.randomUUID().toString();
    int node = Math.floorMod(nextNode.getAndIncrement(), cluster.size());
    BenchCluster.Reply r = cluster.post(node, "/api/tasks", ClusterScenario.TASK, key);
    while (retried(r.status()) && running.get()) {
      resent.incrementAndGet();
      LockSupport.parkNanos(RETRY_PAUSE_NANOS); // allowed: the harness paces its retries
      node = (node + 1) % cluster.size();
      r = cluster.post(node, "/api/tasks", ClusterScenario.TASK, key);
    }
    if (r.status() / 100 == 2) {
      acknowledged.add(r.json().path("id").asText());
    } else if (!retried(r.status())) {
      refused.incrementAndGet();
    }
  }

  private static boolean retried(int status) {
    return status == 0 || status == 429 || status / 100 == 5;
  }

  /**
   * Stops submitting, waits up to ten minutes for every acknowledged task to complete, and says how
   * many were acknowledged, lost (never completed) and completed more than once.
   */
  String finish(BenchDb db, Config base) throws Exception {
    close();
    double seconds = (stoppedAt - startedAt) / 1e9;
    if (failure.get() != null) {
      throw new IllegalStateException("a sender of the steady flow failed", failure.get());
    }
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    Map<String, Integer> completions = completions(db, base);
    Set<String> lost = missing(completions);
    while (!lost.isEmpty() && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500)); // allowed: polls the journal
      completions = completions(db, base);
      lost = missing(completions);
    }
    long twice = completions.values().stream().filter(n -> n > 1).count();
    return String.format(
        "cluster: while the failover rounds ran, %d clients paced at %d tasks/s in all had %,d"
            + " tasks acknowledged (%.1f/s over %.0f s), each sent again to the next node under"
            + " its own idempotency key while unanswered, 429 or 5xx (%,d times), %d refused"
            + " otherwise: %d acknowledged and never completed (within 10 minutes of the last"
            + " round), %d completed more than once (the journal's TaskCompleted events, the"
            + " soak's tasks included)",
        SENDERS,
        perSecond,
        acknowledged.size(),
        acknowledged.size() / seconds,
        seconds,
        resent.get(),
        refused.get(),
        lost.size(),
        twice);
  }

  private Set<String> missing(Map<String, Integer> completions) {
    Set<String> lost = new HashSet<>(acknowledged);
    lost.removeAll(completions.keySet());
    return lost;
  }

  /** How often each task's TaskCompleted is in the journal. */
  private static Map<String, Integer> completions(BenchDb db, Config base) throws Exception {
    Map<String, Integer> counts = new HashMap<>();
    try (Connection c = db.connect(base);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT persistence_id, COUNT(*) FROM event_journal"
                    + " WHERE persistence_id LIKE 'Task|%'"
                    + " AND event_ser_manifest LIKE '%TaskCompleted' GROUP BY persistence_id")) {
      while (rs.next()) {
        counts.put(rs.getString(1).substring("Task|".length()), rs.getInt(2));
      }
    }
    return counts;
  }

  @Override
  public void close() throws InterruptedException {
    if (running.getAndSet(false)) {
      stoppedAt = System.nanoTime();
    }
    senders.shutdown();
    if (!senders.awaitTermination(1, TimeUnit.MINUTES)) {
      senders.shutdownNow();
    }
  }
}
