package io.agenthive.persistence;

import static io.agenthive.hive.HiveTestKit.*;
import static org.junit.jupiter.api.Assertions.*;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.persistence.jdbc.query.javadsl.JdbcReadJournal;
import akka.persistence.query.EventEnvelope;
import akka.persistence.query.Offset;
import akka.persistence.query.PersistenceQuery;
import akka.stream.javadsl.Sink;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.agenthive.access.Principal;
import io.agenthive.budget.Budget;
import io.agenthive.common.HiveTags;
import io.agenthive.hive.Hive;
import io.agenthive.hive.HiveTestKit;
import io.agenthive.task.Priority;
import io.agenthive.task.Task;
import io.agenthive.task.TaskStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code hive.core.journal-tag-count} above 1, each event is also tagged with its entity's
 * slice, so a projection per slice could read the hive; the whole-hive tag is kept for the read
 * side and the live feed.
 */
class JournalSlicesTest {
  private static final int SLICES = 3;

  @TempDir Path dataDir;

  @Test
  void everyEventCarriesTheHiveTagAndItsEntitysSliceTag() throws Exception {
    Config config =
        ConfigFactory.parseString("hive.core.journal-tag-count = " + SLICES)
            .withFallback(TestDatabase.config(dataDir));
    DatabaseSettings db = DatabaseSettings.from(config);
    SchemaBootstrap.ensure(db);
    ActorTestKit kit = ActorTestKit.create("slices", db.journalConfig().withFallback(config));
    try {
      Hive hive = HiveTestKit.start(kit);
      agent(hive, "coder", "noop", cap("code", 0.9));
      Task done =
          awaitStatus(
              hive,
              submit(hive, task("sliced", Priority.HIGH, needs("code", 0.1))).id(),
              TaskStatus.COMPLETED);
      // a singleton's events are sliced by the same rule as a sharded entity's
      await(
          hive.budgets()
              .set(
                  new Budget(
                      "hourly",
                      Budget.Scope.AGENT,
                      "a1",
                      Budget.Metric.TOKENS,
                      10,
                      Budget.Period.HOUR),
                  Principal.HUB));
      String ledgerPid = "Budgets|hive";
      assertTrue(
          events(kit, HiveTags.slice(ledgerPid, SLICES)).stream()
              .anyMatch(e -> e.persistenceId().equals(ledgerPid)),
          "the ledger's event is in its slice");
      String taskPid = "Task|" + done.id();
      String slice = HiveTags.slice(taskPid, SLICES);

      List<EventEnvelope> inSlice = events(kit, slice);
      List<EventEnvelope> taskEvents =
          inSlice.stream().filter(e -> e.persistenceId().equals(taskPid)).toList();
      assertTrue(taskEvents.size() >= 3, "submitted, started, completed: " + taskEvents);
      for (EventEnvelope e : inSlice) {
        assertEquals(slice, HiveTags.slice(e.persistenceId(), SLICES), e.persistenceId());
      }
      Set<String> whole =
          events(kit, HiveTags.ALL).stream()
              .filter(e -> e.persistenceId().equals(taskPid))
              .map(e -> e.persistenceId() + "#" + e.sequenceNr())
              .collect(Collectors.toSet());
      assertEquals(taskEvents.size(), whole.size(), "the whole-hive tag still has every event");
    } finally {
      kit.shutdownTestKit();
    }
  }

  private static List<EventEnvelope> events(ActorTestKit kit, String tag) {
    JdbcReadJournal journal =
        PersistenceQuery.get(kit.system())
            .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
    return await(
        journal.currentEventsByTag(tag, Offset.noOffset()).runWith(Sink.seq(), kit.system()));
  }
}
