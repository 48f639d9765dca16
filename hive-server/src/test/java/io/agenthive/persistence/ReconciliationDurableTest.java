package io.agenthive.persistence;

import static io.agenthive.hive.HiveTestKit.*;
import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.agenthive.hive.Hive;
import io.agenthive.matcher.Backlog;
import io.agenthive.metrics.HiveMetrics;
import io.agenthive.persistence.readside.ReadSideBacklog;
import io.agenthive.task.Priority;
import io.agenthive.task.Task;
import io.agenthive.task.TaskStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A matcher that lost its copy of a pending task (here: its rebuild's picture misses it, as when
 * the message that carried the task was lost during a failover) gets it back from the journal
 * within one reconciliation interval, and the task runs; the mend is counted.
 */
class ReconciliationDurableTest {
  @TempDir Path dataDir;

  /** The real backlog, except that its first picture misses one task. */
  static final class MissingOnce implements Backlog {
    private final Backlog real;
    private final String missing;
    private final AtomicBoolean first = new AtomicBoolean(true);

    MissingOnce(Backlog real, String missing) {
      this.real = real;
      this.missing = missing;
    }

    @Override
    public CompletionStage<Snapshot> load() {
      boolean drop = first.getAndSet(false);
      return real.load()
          .thenApply(
              s ->
                  drop
                      ? new Snapshot(
                          s.agents(),
                          s.openTasks().stream().filter(t -> !t.taskId().equals(missing)).toList(),
                          s.taskCounts())
                      : s);
    }
  }

  @Test
  void aPendingTaskTheMatcherLostIsQueuedAgainWithinOneInterval() throws Exception {
    Config config =
        ConfigFactory.parseString("hive.core.matcher.reconcile-interval = 1s")
            .withFallback(TestDatabase.config(dataDir));
    Hive first = io.agenthive.node.HiveNode.start("reconcile", config);
    await(first.ready(Duration.ofSeconds(20)));
    Task waiting = submit(first, task("needs a rare skill", Priority.HIGH, needs("rare", 0.5)));
    DurableHiveTest.stop(first);

    DatabaseSettings db = DatabaseSettings.from(config);
    Hive second =
        Hive.start(
            "reconcile",
            db.journalConfig().withFallback(config),
            system -> new MissingOnce(new ReadSideBacklog(system), waiting.id()));
    try {
      await(second.ready(Duration.ofSeconds(20)));
      assertEquals(0, await(second.counts()).pending(), "the rebuilt matcher lacks the task");
      long before = System.nanoTime();
      agent(second, "rare one", "noop", cap("rare", 0.9));
      Task done = awaitStatus(second, waiting.id(), TaskStatus.COMPLETED);
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);
      // without reconciliation it would never run: nothing else tells the matcher of it again
      assertTrue(tookMs < 10_000, "queued again and run " + tookMs + " ms after (interval 1 s)");
      assertEquals(1, done.attempts());
      assertEquals(
          1.0,
          HiveMetrics.get(second.system()).registry().scrape().stream()
              .filter(m -> m.getMetadata().getName().equals("hive_tasks_reconciled"))
              .flatMap(m -> m.getDataPoints().stream())
              .filter(p -> p.getLabels().get("kind").equals("pending_requeued"))
              .mapToDouble(
                  p ->
                      ((io.prometheus.metrics.model.snapshots.CounterSnapshot
                                  .CounterDataPointSnapshot)
                              p)
                          .getValue())
              .sum());
    } finally {
      DurableHiveTest.stop(second);
    }
  }
}
