package io.agenthive.persistence;

import static io.agenthive.hive.HiveTestKit.*;
import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.agenthive.agent.AgentView;
import io.agenthive.hive.Hive;
import io.agenthive.matcher.Backlog;
import io.agenthive.persistence.readside.ReadSideBacklog;
import io.agenthive.task.EscalationRung;
import io.agenthive.task.Priority;
import io.agenthive.task.RequiredCapability;
import io.agenthive.task.Task;
import io.agenthive.testing.Eventually;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A retry waiting when the hub stops is rebuilt with what its journal says: the agents that failed
 * it (so the restarted matcher avoids them) and its next escalation rung's requirements.
 */
class EscalationDurableTest {
  @TempDir Path dataDir;

  /** The real backlog, keeping the picture it gave the matcher. */
  static final class Seen implements Backlog {
    private final Backlog real;
    final AtomicReference<Snapshot> seen = new AtomicReference<>();

    Seen(Backlog real) {
      this.real = real;
    }

    @Override
    public CompletionStage<Snapshot> load() {
      return real.load()
          .thenApply(
              s -> {
                seen.set(s);
                return s;
              });
    }
  }

  @Test
  void aWaitingRetryIsRebuiltWithItsFailedAgentsAndItsNextRung() throws Exception {
    // the retry waits an hour: it is still waiting when the hub comes back
    Config config =
        ConfigFactory.parseString("hive.core.tasks.retry-backoff { min = 1h, max = 1h }")
            .withFallback(TestDatabase.config(dataDir));
    Hive first = io.agenthive.node.HiveNode.start("escalation", config);
    String taskId;
    AgentView flaky;
    try {
      await(first.ready(Duration.ofSeconds(20)));
      flaky = agent(first, "flaky", "always-fails", cap("x.cheap", 0.9), cap("x", 0.9));
      var spec =
          task("climb", Priority.HIGH)
              .withMaxAttempts(3)
              .withEscalation(
                  List.of(new EscalationRung("x.cheap", 0.5), new EscalationRung("x", 0.4)));
      taskId = submit(first, spec).id();
      Task failedOnce =
          Eventually.until(
              () -> task(first, taskId), t -> !t.failedOn().isEmpty(), "attempt 1 to fail");
      assertEquals(List.of(flaky.id()), failedOnce.failedOn());
    } finally {
      DurableHiveTest.stop(first);
    }

    DatabaseSettings db = DatabaseSettings.from(config);
    AtomicReference<Seen> backlog = new AtomicReference<>();
    Hive second =
        Hive.start(
            "escalation",
            db.journalConfig().withFallback(config),
            system -> {
              backlog.set(new Seen(new ReadSideBacklog(system)));
              return backlog.get();
            });
    try {
      await(second.ready(Duration.ofSeconds(20)));
      Backlog.OpenTask open =
          backlog.get().seen.get().openTasks().stream()
              .filter(t -> t.taskId().equals(taskId))
              .findFirst()
              .orElseThrow();
      assertEquals(List.of(flaky.id()), open.failedOn());
      assertEquals(List.of(new RequiredCapability("x", 0.4)), open.requirements());
    } finally {
      DurableHiveTest.stop(second);
    }
  }
}
