package io.agenthive.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agenthive.testing.Eventually;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tasks submitted round-robin through every live node by a few client threads, as users would while
 * nodes come and go: a node that does not answer is skipped for the next one. Only a 201 counts as
 * acknowledged; the journal itself is then asked whether each acknowledged task completed exactly
 * once.
 */
final class TaskFlow implements AutoCloseable {
  static final String TASK =
      "{\"title\": \"flow\", \"max_attempts\": 10,"
          + " \"required_capabilities\": [{\"name\": \"work\", \"minimum_proficiency\": 0.5}]}";
  private final ClusterNodes nodes;
  private final ExecutorService clients;
  private final Set<String> acked = ConcurrentHashMap.newKeySet();
  private final AtomicInteger submitted = new AtomicInteger();
  private final AtomicInteger next = new AtomicInteger();
  private final Set<Integer> avoided = ConcurrentHashMap.newKeySet();
  // one permit per submission allowed: clients wait on it instead of polling a count
  private final Semaphore permits = new Semaphore(0);
  private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
  private int allowed;

  TaskFlow(ClusterNodes nodes, int threads) {
    this.nodes = nodes;
    this.clients = Executors.newFixedThreadPool(threads);
    for (int t = 0; t < threads; t++) {
      clients.execute(this::submitLoop);
    }
  }

  /** Lets the clients submit up to {@code n} tasks in all (they wait while it is reached). */
  synchronized void allow(int n) {
    permits.release(Math.max(0, n - allowed));
    allowed = Math.max(allowed, n);
  }

  /**
   * Lets the clients submit about {@code perSecond} tasks a second, without end, until {@link
   * #stop}: steady traffic that leaves the CPU room for a node to restart, where unpaced clients
   * would keep two cores saturated and make every restart slow.
   */
  synchronized void pace(int perSecond) {
    int perTick = Math.max(1, perSecond / 10);
    pacer.scheduleAtFixedRate(() -> permits.release(perTick), 0, 100, TimeUnit.MILLISECONDS);
  }

  /** No more submissions after the ones under way. */
  void stop() {
    pacer.shutdownNow();
    permits.drainPermits();
  }

  /** Sends nothing to node {@code i} (about to stop, or frozen) until {@link #use}. */
  void avoid(int i) {
    avoided.add(i);
  }

  void use(int i) {
    avoided.remove(i);
  }

  int acknowledged() {
    return acked.size();
  }

  Set<String> ackedIds() {
    return Set.copyOf(acked);
  }

  /** Waits until {@code n} tasks were attempted (answered or refused). */
  void awaitSubmitted(int n, Duration within) {
    Eventually.eventually(
        () -> submitted.get() >= n ? Boolean.TRUE : null, n + " submissions", within);
  }

  private void submitLoop() {
    try {
      while (true) {
        permits.acquire();
        submitTo(nextNode());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // closed: the client ends
    }
  }

  /** The next live node not avoided, round-robin. */
  private int nextNode() throws InterruptedException {
    while (true) {
      int node = Math.floorMod(next.getAndIncrement(), nodes.size());
      if (nodes.alive(node) && !avoided.contains(node)) {
        return node;
      }
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
  }

  private void submitTo(int node) {
    submitted.incrementAndGet();
    try {
      ClusterNodes.Reply r = nodes.call(node, "POST", "/api/tasks", TASK);
      if (r.status() == 201) {
        acked.add(r.json().path("id").asText());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // closed mid-request: the next acquire ends the client
    } catch (Exception e) {
      // a node going down mid-request: not acknowledged, so nothing is promised
    }
  }

  @Override
  public void close() throws InterruptedException {
    pacer.shutdownNow();
    clients.shutdownNow();
    clients.awaitTermination(30, TimeUnit.SECONDS);
  }

  /** Where the tasks stand, as a live node says, with their journaled events. */
  private String describe(List<String> ids) {
    StringBuilder out = new StringBuilder();
    for (String id : ids) {
      for (int n = 0; n < nodes.size(); n++) {
        if (nodes.alive(n)) {
          try {
            out.append("\n")
                .append(nodes.call(n, "GET", "/api/tasks/" + id, null).json())
                .append("\n  history: ")
                .append(nodes.call(n, "GET", "/api/tasks/" + id + "/history", null).json());
          } catch (Exception e) {
            out.append("\n").append(id).append(": ").append(e);
          }
          break;
        }
      }
    }
    return out.toString();
  }

  /** How often each task's TaskCompleted is in the journal. */
  static Map<String, Integer> completions(ClusterNodes nodes) throws Exception {
    Map<String, Integer> counts = new HashMap<>();
    try (Connection c = nodes.database();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT persistence_id, COUNT(*) FROM event_journal"
                    + " WHERE event_ser_manifest LIKE '%TaskCompleted' GROUP BY persistence_id")) {
      while (rs.next()) {
        counts.put(rs.getString(1).substring("Task|".length()), rs.getInt(2));
      }
    }
    return counts;
  }

  /**
   * Waits until every acknowledged task has completed, then asserts that no task (acknowledged or
   * not) completed twice.
   */
  void assertEachAcknowledgedTaskCompletesOnce(Duration within) throws Exception {
    Set<String> expected = ackedIds();
    List<String> missing = new ArrayList<>();
    try {
      Eventually.eventually(
          () -> {
            try {
              Set<String> done = completions(nodes).keySet();
              missing.clear();
              expected.stream().filter(id -> !done.contains(id)).forEach(missing::add);
              return missing.isEmpty() ? Boolean.TRUE : null;
            } catch (Exception e) {
              throw new AssertionError(e);
            }
          },
          "every acknowledged task completed",
          within);
    } catch (AssertionError e) {
      throw new AssertionError(
          missing.size()
              + " acknowledged tasks never completed; the first: "
              + describe(missing.stream().limit(3).toList()),
          e);
    }
    Map<String, Integer> twice = new HashMap<>();
    completions(nodes)
        .forEach(
            (id, n) -> {
              if (n > 1) {
                twice.put(id, n);
              }
            });
    assertEquals(Map.of(), twice, "no task completed more than once");
    Set<String> done = new HashSet<>(completions(nodes).keySet());
    done.retainAll(expected);
    assertEquals(expected.size(), done.size());
  }
}
