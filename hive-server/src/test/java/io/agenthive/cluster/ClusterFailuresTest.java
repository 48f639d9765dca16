package io.agenthive.cluster;

import static io.agenthive.cluster.ClusterTest.call;
import static io.agenthive.cluster.ClusterTest.registerAgents;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.persistence.TestDatabase;
import io.agenthive.referenceworker.ReferenceWorker;
import io.agenthive.testing.Eventually;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The ways a node leaves besides a crash, with real processes on one PostgreSQL: frozen past the
 * split brain resolver's patience (SIGSTOP), restarted one by one under load, and taking a remote
 * worker's socket with it.
 */
class ClusterFailuresTest {
  private Path dir;

  @BeforeEach
  void onlyOnPostgres(TestInfo test) throws Exception {
    Assumptions.assumeTrue(TestDatabase.postgres(), "clusters need a shared PostgreSQL");
    dir = ClusterNodes.logDir(test);
  }

  @Test
  void aFrozenNodeIsDownedByTheMajorityAndLeavesWhenItWakesCompletingNothingTwice()
      throws Exception {
    try (ClusterNodes nodes = new ClusterNodes(dir, 3);
        TaskFlow flow = new TaskFlow(nodes, 8)) {
      nodes.startAll();
      registerAgents(nodes, 6);
      int oldest = nodes.oldest(0);
      int frozen = (oldest + 1) % 3;
      int survivor = (oldest + 2) % 3;
      flow.allow(1500);
      flow.awaitSubmitted(400, Duration.ofSeconds(120));
      flow.avoid(frozen);
      nodes.signal(frozen, "STOP");
      // a frozen node answers no scrape; the survivors' metrics say it is missing
      Eventually.eventually(
          () -> gauge(nodes, survivor, "hive_cluster_unreachable_members") == 1 ? true : null,
          "the survivor's /metrics counting the frozen node unreachable",
          Duration.ofSeconds(30));
      // the survivors down it (failure detection + stable-after) and go on without it
      Eventually.eventually(
          () -> membersOf(nodes, survivor) == 2 ? Boolean.TRUE : null,
          "the frozen node removed from the survivors' membership",
          Duration.ofSeconds(60));
      Eventually.eventually(
          () -> gauge(nodes, survivor, "hive_cluster_members{status=\"up\"}") == 2 ? true : null,
          "two members up in the survivor's /metrics",
          Duration.ofSeconds(30));
      flow.awaitSubmitted(1500, Duration.ofSeconds(180));
      nodes.signal(frozen, "CONT");
      nodes.awaitExit(
          frozen,
          Duration.ofSeconds(60),
          "the woken node learns it was downed and shuts itself down");
      assertEquals(1, nodes.process(frozen).exitValue(), "a downed node exits non-zero");
      // the matcher ran on the oldest node throughout: had the woken node downed the survivors
      // in its own view, it would have started a second one, a second hive on the same journal
      String woken = Files.readString(nodes.log(frozen));
      assertFalse(woken.contains("Task matcher ready"), "the woken node never ran a matcher");
      assertTrue(
          woken.contains("leaves the cluster rather than act"),
          "frozen for far longer than the others need to down it, the node left on waking");
      flow.assertEachAcknowledgedTaskCompletesOnce(Duration.ofSeconds(180));
      assertTrue(flow.acknowledged() > 1200, "acknowledged: " + flow.acknowledged());
    }
  }

  @Test
  void aRollingRestartUnderLoadLosesNothingAndRunsNothingTwice() throws Exception {
    try (ClusterNodes nodes = new ClusterNodes(dir, 3);
        TaskFlow flow = new TaskFlow(nodes, 8)) {
      nodes.startAll();
      registerAgents(nodes, 6);
      flow.allow(2000);
      for (int i = 0; i < 3; i++) {
        flow.awaitSubmitted(400 * (i + 1), Duration.ofSeconds(180));
        flow.avoid(i);
        assertTrue(nodes.stop(i), "node " + i + " stops cleanly on SIGTERM: " + nodes.log(i));
        nodes.start(i);
        nodes.awaitReady(i);
        flow.use(i);
      }
      flow.awaitSubmitted(2000, Duration.ofSeconds(180));
      flow.assertEachAcknowledgedTaskCompletesOnce(Duration.ofSeconds(180));
      assertTrue(flow.acknowledged() > 1700, "acknowledged: " + flow.acknowledged());
      for (int i = 0; i < 3; i++) {
        // the last node restarted may still be joining in another node's view
        int node = i;
        Eventually.eventually(
            () -> upMembers(nodes, node) == 3 ? Boolean.TRUE : null,
            "node " + i + " sees all three back up",
            Duration.ofSeconds(30));
      }
    }
  }

  @Test
  void aWorkerWhoseNodeIsKilledResumesItsAgentThroughAnotherNode() throws Exception {
    try (ClusterNodes nodes = new ClusterNodes(dir, 3)) {
      nodes.startAll();
      int first = (nodes.oldest(0) + 1) % 3; // not the matcher's node: only the socket is lost
      int second = (first + 1) % 3;
      String agentId;
      ReferenceWorker worker = worker(nodes, first, null);
      agentId = worker.agentId();
      assertCompletedBy(nodes, second, agentId);
      nodes.kill(first);
      Eventually.eventually(
          () -> worker.closedByHub().isDone() ? Boolean.TRUE : null,
          "the worker's socket to the killed node closed");
      worker.close();
      // the worker comes back through another node with its agent id (retrying while the
      // hive settles after the loss, as a worker would)
      ReferenceWorker again =
          Eventually.eventually(
              () -> {
                ReferenceWorker w = worker(nodes, second, agentId);
                try {
                  return agentId.equals(w.agentId()) ? w : null;
                } catch (Exception e) {
                  w.close();
                  return null;
                }
              },
              "the worker resumed its agent through node " + second,
              Duration.ofSeconds(90));
      try (again) {
        JsonNode done = assertCompletedBy(nodes, (second + 1) % 3, agentId);
        assertEquals(
            "cluster-worker",
            done.path("result").path("output").path("worker").asText(),
            String.valueOf(done));
        // the stats follow the task events through the matcher: wait for the second one
        Eventually.eventually(
            () ->
                call(nodes, second, "/api/agents/" + agentId).at("/stats/tasks_completed").asInt()
                        == 2
                    ? Boolean.TRUE
                    : null,
            "the agent's stats carried over: 2 tasks completed");
      }
    }
  }

  private static ReferenceWorker worker(ClusterNodes nodes, int node, String agentId) {
    return ReferenceWorker.connect(
        new ReferenceWorker.Options(
            nodes.workerUrl(node),
            ClusterNodes.WORKER_TOKEN,
            "cluster-worker",
            agentId,
            List.of("remote.work=0.9"),
            20));
  }

  /** Submits a task only the worker can do, through {@code node}, and waits for its end. */
  private static JsonNode assertCompletedBy(ClusterNodes nodes, int node, String agentId)
      throws Exception {
    // right after a node loss its shards wait for the resolver: a 503 then asks for a retry,
    // which the idempotency key makes the same submission
    String key = java.util.UUID.randomUUID().toString();
    ClusterNodes.Reply r =
        Eventually.eventually(
            () -> {
              try {
                ClusterNodes.Reply reply =
                    nodes.call(
                        node,
                        "POST",
                        "/api/tasks",
                        """
            {"title": "remote", "max_attempts": 5, "timeout_ms": 20000,
             "required_capabilities": [{"name": "remote.work", "minimum_proficiency": 0.5}]}""",
                        key);
                return reply.status() == 503 ? null : reply;
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            },
            "the submission answered without 503",
            Duration.ofSeconds(60));
    assertTrue(r.status() == 201 || r.status() == 200, String.valueOf(r.json()));
    String id = r.json().path("id").asText();
    JsonNode done =
        Eventually.eventually(
            () -> {
              JsonNode t = call(nodes, node, "/api/tasks/" + id);
              return "completed".equals(t.path("status").asText()) ? t : null;
            },
            "task " + id + " completed",
            Duration.ofSeconds(90));
    assertEquals(agentId, done.path("assigned_agent").asText(), String.valueOf(done));
    return done;
  }

  private static int upMembers(ClusterNodes nodes, int node) {
    try {
      return nodes.upMembers(node);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static int membersOf(ClusterNodes nodes, int node) {
    try {
      return nodes.management(node, "/cluster/members").path("members").size();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** One series' value in a node's scrape ({@code name} with its labels as written there). */
  private static double gauge(ClusterNodes nodes, int node, String series) {
    try {
      for (String line : nodes.text(node, "/metrics").split("\n")) {
        if (line.startsWith(series + " ")) {
          return Double.parseDouble(line.substring(series.length() + 1).trim());
        }
      }
      return -1;
    } catch (Exception e) {
      return -1; // a scrape that failed: the caller's wait asks again
    }
  }
}
