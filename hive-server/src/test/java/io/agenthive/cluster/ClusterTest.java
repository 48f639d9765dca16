package io.agenthive.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.persistence.TestDatabase;
import io.agenthive.testing.Eventually;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Three real node processes on one PostgreSQL form one hive: any node answers for all of it (the
 * kills of the matcher's node are {@link ClusterReconcileTest}'s). Runs on the PostgreSQL pass
 * ({@code -Ppostgres}; H2 is single-process).
 */
class ClusterTest {
  private Path dir;

  @BeforeEach
  void onlyOnPostgres(TestInfo test) throws Exception {
    Assumptions.assumeTrue(TestDatabase.postgres(), "clusters need a shared PostgreSQL");
    dir = ClusterNodes.logDir(test);
  }

  /** Agents that always succeed (proficiency 1 for the tasks' capability) in 20-150 ms. */
  static List<String> registerAgents(ClusterNodes nodes, int count) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int a = 0; a < count; a++) {
      ClusterNodes.Reply r =
          nodes.call(
              a % nodes.size(),
              "POST",
              "/api/agents",
              """
          {"name": "agent-%d", "type": "worker", "max_concurrency": 4,
           "skill": {"name": "simulated", "config": {"min_duration_ms": 20, "max_duration_ms": 150}},
           "capabilities": [{"name": "work", "proficiency": 1.0, "learning_rate": 0.1}]}
          """
                  .formatted(a));
      assertEquals(201, r.status(), String.valueOf(r.json()));
      ids.add(r.json().path("id").asText());
    }
    return ids;
  }

  @Test
  void threeNodesAreOneHiveAndAnyNodeAnswersForAllOfIt() throws Exception {
    try (ClusterNodes nodes = new ClusterNodes(dir, 3)) {
      nodes.startAll();
      for (int i = 0; i < 3; i++) {
        assertEquals(3, nodes.upMembers(i), "node " + i + " sees three members up");
      }
      List<String> agents = registerAgents(nodes, 3);
      List<String> tasks = new ArrayList<>();
      for (int t = 0; t < 60; t++) {
        ClusterNodes.Reply r = nodes.call(t % 3, "POST", "/api/tasks", TaskFlow.TASK);
        assertEquals(201, r.status(), String.valueOf(r.json()));
        tasks.add(r.json().path("id").asText());
      }
      for (int i = 0; i < 3; i++) {
        int node = i;
        JsonNode status =
            Eventually.eventually(
                () -> {
                  JsonNode s = call(nodes, node, "/api/hive/status");
                  return s.path("tasks").path("completed").asInt() == 60 ? s : null;
                },
                "node " + i + " counts 60 completed tasks",
                Duration.ofSeconds(60));
        assertEquals(3, status.path("agents").path("idle").asInt(), "node " + i + ": " + status);
        Eventually.eventually(
            () -> call(nodes, node, "/api/agents").path("items").size() == 3 ? Boolean.TRUE : null,
            "node " + i + " lists the three agents");
        // a task submitted through one node is read, explained and listed through every other
        JsonNode task = call(nodes, node, "/api/tasks/" + tasks.get((i + 1) % 60));
        assertEquals("completed", task.path("status").asText(), String.valueOf(task));
        assertTrue(agents.contains(task.path("assigned_agent").asText()), String.valueOf(task));
        JsonNode agent = call(nodes, node, "/api/agents/" + agents.get((i + 2) % 3));
        assertEquals("idle", agent.path("state").asText(), String.valueOf(agent));
        // the audit trail of every node is the whole cluster's
        long completions =
            nodes
                .text(node, "/api/audit/events?entity_kind=task&type=TaskCompleted")
                .lines()
                .filter(l -> !l.isBlank())
                .count();
        assertEquals(60, completions, "node " + i + "'s audit stream");
      }
      // paused through node 2, seen paused from node 0
      assertEquals(
          200, nodes.call(2, "POST", "/api/agents/" + agents.get(0) + "/pause", null).status());
      assertEquals("paused", call(nodes, 0, "/api/agents/" + agents.get(0)).path("state").asText());
    }
  }

  /** Each agent's completed tasks, as {@code node} reads them. */
  static Map<String, Integer> completedPerAgent(ClusterNodes nodes, int node, List<String> agents)
      throws Exception {
    Map<String, Integer> done = new HashMap<>();
    for (String a : agents) {
      done.put(
          a, call(nodes, node, "/api/agents/" + a).path("stats").path("tasks_completed").asInt());
    }
    return done;
  }

  static JsonNode call(ClusterNodes nodes, int node, String path) {
    try {
      ClusterNodes.Reply r = nodes.call(node, "GET", path, null);
      if (r.status() != 200) {
        throw new AssertionError(
            "GET " + path + " on node " + node + ": " + r.status() + " " + r.json());
      }
      return r.json();
    } catch (AssertionError e) {
      throw e;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
