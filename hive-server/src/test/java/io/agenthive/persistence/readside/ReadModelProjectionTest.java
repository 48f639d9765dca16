package io.agenthive.persistence.readside;

import static io.agenthive.hive.HiveTestKit.*;
import static io.agenthive.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.Config;
import io.agenthive.agent.AgentView;
import io.agenthive.hive.Hive;
import io.agenthive.node.HiveNode;
import io.agenthive.persistence.DatabaseSettings;
import io.agenthive.persistence.TestDatabase;
import io.agenthive.task.Priority;
import io.agenthive.task.Task;
import io.agenthive.task.TaskStatus;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read model projection sees every task and agent event exactly once, even when many entities
 * write concurrently (the eventsByTag pitfall of JDBC journals), and resumes after a restart from
 * its offset without counting anything twice; without an offset it rebuilds the same tables.
 */
class ReadModelProjectionTest {
  static final int TASKS = 300;
  @TempDir Path dataDir;

  static Map<String, Long> journalSequenceNrs(Config config) throws Exception {
    return journalSequenceNrs(config, "Task|");
  }

  static Map<String, Long> journalSequenceNrs(Config config, String prefix) throws Exception {
    DatabaseSettings db = DatabaseSettings.from(config);
    Map<String, Long> out = new HashMap<>();
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT \"persistence_id\", MAX(\"sequence_number\")"
                    + " FROM \"event_journal\" WHERE \"persistence_id\" LIKE '"
                    + prefix
                    + "%'"
                    + " GROUP BY \"persistence_id\"")) {
      while (rs.next()) {
        out.put(rs.getString(1).substring(prefix.length()), rs.getLong(2));
      }
    }
    return out;
  }

  static Map<String, TaskViewQueries.Applied> applied(TaskViewQueries view) {
    Map<String, TaskViewQueries.Applied> out = new HashMap<>();
    await(view.applied()).forEach(a -> out.put(a.taskId(), a));
    return out;
  }

  static void stop(Hive hive) throws Exception {
    hive.system().terminate();
    hive.system().getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** Each agent row holds exactly its journal's events and the counters its actor has. */
  static void assertAgentsMatchJournal(
      Hive hive, Config config, AgentViewQueries agents, long completions) throws Exception {
    Map<String, Long> journal = journalSequenceNrs(config, "Agent|");
    eventually(
        () ->
            await(agents.applied()).stream()
                    .allMatch(a -> a.lastSequenceNr() == journal.get(a.agentId()))
                ? true
                : null,
        "the agent view to catch up with the agents' journals");
    List<AgentViewQueries.Applied> rows = await(agents.applied());
    assertEquals(journal.size(), rows.size(), "one row per agent");
    long completed = 0;
    for (AgentViewQueries.Applied row : rows) {
      assertEquals(journal.get(row.agentId()), row.eventsApplied(), "once: " + row.agentId());
      AgentView live = await(hive.agents().get(row.agentId())).orElseThrow();
      assertEquals(live.tasksCompleted(), row.tasksCompleted(), row.agentId());
      assertEquals(live.tasksFailed(), row.tasksFailed(), row.agentId());
      completed += row.tasksCompleted();
    }
    assertEquals(completions, completed, "every completion counted on exactly one agent");
  }

  @Test
  void everyEventOfConcurrentWritersIsAppliedExactlyOnceAndResumesAfterRestart() throws Exception {
    Config config = TestDatabase.config(dataDir);
    Hive hive = HiveNode.start("projection", config);
    ReadSide readSide = await(ReadSide.start(hive.system()));
    TaskViewQueries view = readSide.tasks();
    await(hive.ready(Duration.ofSeconds(20)));
    for (int i = 0; i < 4; i++) {
      agent(hive, "proj-" + i, "noop", cap("proj", 0.5));
    }
    List<CompletableFuture<Task>> submitted = new ArrayList<>();
    for (int i = 0; i < TASKS; i++) {
      submitted.add(
          hive.tasks()
              .submitTask(task("proj-" + i, Priority.values()[i % 4], needs("proj", 0.1)))
              .toCompletableFuture());
    }
    List<String> ids = new ArrayList<>();
    for (CompletableFuture<Task> f : submitted) {
      ids.add(await(f).id());
    }
    for (String id : ids) {
      awaitStatus(hive, id, TaskStatus.COMPLETED);
    }
    eventually(
        () -> await(view.countsByStatus()).get(TaskStatus.COMPLETED) == TASKS ? true : null,
        "the view to count every completion");

    Map<String, Long> journal = journalSequenceNrs(config);
    Map<String, TaskViewQueries.Applied> seen = applied(view);
    assertEquals(journal.keySet(), seen.keySet(), "no task missing, none invented");
    for (String id : ids) {
      assertEquals(journal.get(id), seen.get(id).lastSequenceNr(), id);
      assertEquals(journal.get(id), seen.get(id).eventsApplied(), "each event once: " + id);
    }
    assertAgentsMatchJournal(hive, config, readSide.agents(), TASKS);
    stop(hive);

    Hive again = HiveNode.start("projection", config);
    try {
      ReadSide resumedSide = await(ReadSide.start(again.system()));
      TaskViewQueries resumed = resumedSide.tasks();
      await(again.ready(Duration.ofSeconds(20)));
      Task extra = submit(again, task("after restart", Priority.HIGH, needs("proj", 0.1)));
      awaitStatus(again, extra.id(), TaskStatus.COMPLETED);
      eventually(
          () ->
              await(resumed.countsByStatus()).get(TaskStatus.COMPLETED) == TASKS + 1 ? true : null,
          "the resumed projection to count the new task");
      Map<String, TaskViewQueries.Applied> after = applied(resumed);
      for (String id : ids) {
        assertEquals(seen.get(id), after.get(id), "nothing applied twice after the restart");
      }
      assertEquals(
          journalSequenceNrs(config).get(extra.id()), after.get(extra.id()).eventsApplied());
      assertAgentsMatchJournal(again, config, resumedSide.agents(), TASKS + 1);
    } finally {
      stop(again);
    }
    rebuildsFromTheJournalWhenTheOffsetIsDeleted(config);
  }

  private static boolean offsetStored(DatabaseSettings db) {
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM \"akka_projection_offset_store\"")) {
      return rs.next() && rs.getLong(1) > 0;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** An operator deletes the offset to rebuild: the tables come back identical, not doubled. */
  private void rebuildsFromTheJournalWhenTheOffsetIsDeleted(Config config) throws Exception {
    DatabaseSettings db = DatabaseSettings.from(config);
    Map<String, TaskViewQueries.Applied> before;
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        Statement st = c.createStatement()) {
      before = new HashMap<>();
      try (ResultSet rs =
          st.executeQuery("SELECT task_id, last_sequence_nr, events_applied FROM hive_task_view")) {
        while (rs.next()) {
          before.put(
              rs.getString(1),
              new TaskViewQueries.Applied(rs.getString(1), rs.getLong(2), rs.getLong(3)));
        }
      }
      st.executeUpdate("DELETE FROM \"akka_projection_offset_store\"");
    }
    Hive rebuilt = HiveNode.start("projection", config);
    try {
      ReadSide side = await(ReadSide.start(rebuilt.system()));
      // the projection empties the tables when it starts without an offset, then refills them:
      // compare once it has stored an offset again, i.e. the rows are the rebuilt ones
      eventually(
          () -> offsetStored(db) && applied(side.tasks()).equals(before) ? true : null,
          "the rebuilt task view to equal the one before");
      assertAgentsMatchJournal(rebuilt, config, side.agents(), TASKS + 1);
    } finally {
      stop(rebuilt);
    }
  }
}
