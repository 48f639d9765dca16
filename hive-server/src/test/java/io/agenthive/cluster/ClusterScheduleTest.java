package io.agenthive.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.persistence.TestDatabase;
import io.agenthive.testing.Eventually;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The schedule keeper is a singleton on the oldest node: three real nodes on one PostgreSQL, an
 * {@code every: 2s} schedule with {@code catch_up: all}, and the oldest node killed with SIGKILL.
 * The keeper starts again on a survivor, catches up the slots of the failover, and every slot from
 * the first to the last made exactly one task.
 */
class ClusterScheduleTest {
  static final Duration EVERY = Duration.ofSeconds(2);
  private Path dir;

  @BeforeEach
  void onlyOnPostgres(TestInfo test) throws Exception {
    Assumptions.assumeTrue(TestDatabase.postgres(), "clusters need a shared PostgreSQL");
    dir = ClusterNodes.logDir(test);
  }

  /** The fired slots of the schedule as node {@code node} answers; null while it cannot. */
  static TreeSet<Instant> fired(ClusterNodes nodes, int node) {
    try {
      ClusterNodes.Reply r = nodes.call(node, "GET", "/api/schedules/tick/history", null);
      if (r.status() != 200) {
        return null;
      }
      TreeSet<Instant> slots = new TreeSet<>();
      for (JsonNode h : r.json().get("items")) {
        if (h.get("outcome").asText().equals("fired")) {
          assertTrue(slots.add(Instant.parse(h.get("slot").asText())), "fired twice: " + h);
        }
      }
      return slots;
    } catch (AssertionError e) {
      throw e;
    } catch (Exception e) {
      return null; // the keeper is moving: ask again
    }
  }

  @Test
  void killingTheKeepersNodeLosesNoSlotAndFiresNoneTwice() throws Exception {
    try (ClusterNodes nodes = new ClusterNodes(dir, 3)) {
      nodes.startAll();
      ClusterNodes.Reply made =
          nodes.call(
              0,
              "POST",
              "/api/schedules",
              "{\"name\": \"tick\", \"every\": \"2s\", \"overlap\": \"queue\", \"catch_up\":"
                  + " \"all\", \"task\": {\"title\": \"tick\", \"required_capabilities\":"
                  + " [{\"name\": \"sched.nobody\"}]}}");
      assertEquals(201, made.status(), String.valueOf(made.json()));
      int victim = nodes.oldest(0);
      int survivor = (victim + 1) % 3;
      Eventually.eventually(
          () -> {
            TreeSet<Instant> s = fired(nodes, survivor);
            return s != null && s.size() >= 3 ? s : null;
          },
          "three slots fired",
          Duration.ofSeconds(60));
      nodes.kill(victim);
      Instant killed = Instant.now();
      TreeSet<Instant> end =
          Eventually.eventually(
              () -> {
                TreeSet<Instant> s = fired(nodes, survivor);
                return s != null && s.tailSet(killed.plus(EVERY.multipliedBy(3))).size() >= 3
                    ? s
                    : null;
              },
              "slots fired again after the keeper moved",
              Duration.ofSeconds(120));
      for (Instant s = end.first(); !s.isAfter(end.last()); s = s.plus(EVERY)) {
        assertTrue(end.contains(s), "slot " + s + " fired (killed at " + killed + "): " + end);
      }
      assertOneTaskPerSlot(nodes, end);
    }
  }

  private static void assertOneTaskPerSlot(ClusterNodes nodes, TreeSet<Instant> slots)
      throws Exception {
    try (Connection c = nodes.database();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT persistence_id, COUNT(*) FROM event_journal"
                    + " WHERE event_ser_manifest LIKE '%TaskSubmitted' GROUP BY persistence_id")) {
      Set<String> tasks = new HashSet<>();
      while (rs.next()) {
        assertEquals(1, rs.getLong(2), "one submission for " + rs.getString(1));
        tasks.add(rs.getString(1));
      }
      // slots fired after the history was read may have added tasks: never fewer than the slots
      assertTrue(tasks.size() >= slots.size(), tasks.size() + " tasks for " + slots.size());
      assertTrue(tasks.size() <= slots.size() + 5, tasks.size() + " tasks for " + slots.size());
    }
  }
}
