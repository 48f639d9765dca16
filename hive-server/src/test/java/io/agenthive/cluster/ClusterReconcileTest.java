package io.agenthive.cluster;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agenthive.persistence.TestDatabase;
import io.agenthive.testing.Eventually;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * No acknowledged task is forgotten, with real node processes on one PostgreSQL: the matcher's node
 * killed eight times under continuous submissions, after which every acknowledged task completes
 * exactly once, the status counts equal the read side's and the journal verifies (hash chains and
 * checkpoints written by every node); and an attempt running on a killed node is handed out again
 * within its lease.
 */
class ClusterReconcileTest {
  private Path dir;

  @BeforeEach
  void onlyOnPostgres(TestInfo test) throws Exception {
    Assumptions.assumeTrue(TestDatabase.postgres(), "clusters need a shared PostgreSQL");
    dir = ClusterNodes.logDir(test);
  }

  @Test
  void eightKillsOfTheMatchersNodeLoseNoAcknowledgedTask() throws Exception {
    try (ClusterNodes nodes = new ClusterNodes(dir, 3);
        TaskFlow flow = new TaskFlow(nodes, 8)) {
      nodes.startAll();
      List<String> agents = ClusterTest.registerAgents(nodes, 6);
      flow.pace(40);
      Map<String, Integer> completedBefore = null;
      for (int kill = 1; kill <= 8; kill++) {
        int start = flow.acknowledged();
        Eventually.eventually(
            () -> flow.acknowledged() >= start + 60 ? Boolean.TRUE : null,
            "submissions acknowledged before kill " + kill,
            Duration.ofSeconds(120));
        int victim = nodes.oldest(0);
        if (kill == 1) {
          completedBefore = ClusterTest.completedPerAgent(nodes, (victim + 1) % 3, agents);
        }
        nodes.kill(victim);
        int before = flow.acknowledged();
        // the survivors take submissions again (the matcher has moved), then the node returns;
        // at 40 a second, 60 acknowledgements are a second and a half of traffic on either side
        // of each kill, which is all the kill needs to land among tasks in flight
        Eventually.eventually(
            () -> flow.acknowledged() > before + 60 ? Boolean.TRUE : null,
            "submissions acknowledged after kill " + kill,
            Duration.ofSeconds(120));
        nodes.start(victim);
        nodes.awaitReady(victim);
      }
      flow.stop();
      long stoppedAt = System.nanoTime();
      flow.assertEachAcknowledgedTaskCompletesOnce(Duration.ofSeconds(60));
      System.out.printf(
          "eight kills of the matcher's node: %d tasks acknowledged, each completed once, all done"
              + " %d s after the load stopped%n",
          flow.acknowledged(), TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - stoppedAt));
      assertCountsAgreeWithTheReadSide(nodes);
      // every agent, wherever its entity lived, kept its record and worked on after the first
      // kill (after a later one, load this light may not reach every agent)
      Map<String, Integer> completedAfter = ClusterTest.completedPerAgent(nodes, 0, agents);
      for (String a : agents) {
        assertTrue(
            completedAfter.get(a) > completedBefore.get(a),
            "agent "
                + a
                + " completed tasks after the first kill: "
                + completedBefore.get(a)
                + " -> "
                + completedAfter.get(a));
      }
      // three nodes wrote, each signed checkpoints, and eight were killed mid-write: the journal
      // still verifies, every event chained and every checkpoint matching
      String[] lines = nodes.text(0, "/api/audit/verify").strip().split("\n");
      JsonNode verified = new ObjectMapper().readTree(lines[lines.length - 1]);
      assertTrue(verified.path("intact").asBoolean(), verified.toString());
      assertTrue(verified.path("checkpoints").asLong() > 0, verified.toString());
      System.out.println("after eight kills: " + verified.path("summary").asText());
    }
  }

  /** The matcher's counts, as every node's status shows them, equal the read tables' counts. */
  private static void assertCountsAgreeWithTheReadSide(ClusterNodes nodes) throws Exception {
    Map<String, Long> table = new HashMap<>();
    Eventually.eventually(
        () -> {
          try {
            table.clear();
            table.putAll(readSideCounts(nodes));
            for (int n = 0; n < nodes.size(); n++) {
              JsonNode status = ClusterTest.call(nodes, n, "/api/hive/status");
              for (var e : table.entrySet()) {
                if (status.path("tasks").path(e.getKey()).asLong() != e.getValue()) {
                  return null;
                }
              }
              if (status.path("in_flight").asInt() != 0) {
                return null;
              }
            }
            return Boolean.TRUE;
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        },
        "every node's status counts equal the read side's " + table,
        Duration.ofSeconds(45));
  }

  private static Map<String, Long> readSideCounts(ClusterNodes nodes) throws Exception {
    Map<String, Long> counts = new HashMap<>();
    try (Connection c = nodes.database();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT status, task_count FROM hive_task_counts")) {
      while (rs.next()) {
        counts.put(rs.getString(1), rs.getLong(2));
      }
    }
    for (String s : List.of("pending", "running", "assigned")) {
      counts.putIfAbsent(s, 0L);
    }
    return counts;
  }

  @Test
  void anAttemptRunningOnAKilledNodeIsHandedOutAgainWithinItsLease() throws Exception {
    try (ClusterNodes nodes = new ClusterNodes(dir, 3)) {
      nodes.startAll();
      for (int a = 0; a < 6; a++) {
        ClusterNodes.Reply r =
            nodes.call(
                a % 3,
                "POST",
                "/api/agents",
                """
                {"name": "slow-%d", "type": "worker",
                 "skill": {"name": "simulated",
                           "config": {"min_duration_ms": 40000, "max_duration_ms": 40000}},
                 "capabilities": [{"name": "slow", "proficiency": 1.0}]}
                """
                    .formatted(a));
        assertEquals(201, r.status(), String.valueOf(r.json()));
      }
      List<String> tasks = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        ClusterNodes.Reply r =
            nodes.call(
                t % 3,
                "POST",
                "/api/tasks",
                "{\"title\": \"long\", \"max_attempts\": 3,"
                    + " \"required_capabilities\": [{\"name\": \"slow\"}]}");
        tasks.add(r.json().path("id").asText());
      }
      int matcher = nodes.oldest(0);
      int victim = (matcher + 1) % 3; // not the matcher's node: only its agents' runs are lost
      int witness = (matcher + 2) % 3;
      for (String id : tasks) {
        Eventually.eventually(
            () ->
                "running"
                        .equals(
                            ClusterTest.call(nodes, witness, "/api/tasks/" + id)
                                .path("status")
                                .asText())
                    ? Boolean.TRUE
                    : null,
            "task " + id + " running",
            Duration.ofSeconds(60));
      }
      Instant killedAt = Instant.now();
      nodes.kill(victim);
      // the six agents' entities are spread over the three nodes: some ran on the victim
      List<Long> handedOutAgainAfterMs =
          Eventually.eventually(
              () -> {
                List<Long> again = new ArrayList<>();
                for (String id : tasks) {
                  JsonNode t;
                  try {
                    t = ClusterTest.call(nodes, witness, "/api/tasks/" + id);
                  } catch (AssertionError stillMoving) {
                    continue; // its entity lived on the killed node and is not home yet: 503
                  }
                  if (t.path("attempts").asInt() >= 2) {
                    again.add(
                        Duration.between(killedAt, Instant.parse(t.path("started_at").asText()))
                            .toMillis());
                  }
                }
                return again.isEmpty() ? null : again;
              },
              "a task of the killed node's agents handed out again",
              Duration.ofSeconds(60));
      System.out.printf(
          "attempts on a killed node started again %s ms after the kill (lease 15 s)%n",
          handedOutAgainAfterMs);
      for (long ms : handedOutAgainAfterMs) {
        assertTrue(ms < 15_000, "handed out again " + ms + " ms after the kill");
      }
    }
  }
}
