package io.agenthive.persistence;

import static io.agenthive.hive.HiveTestKit.*;
import static io.agenthive.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.agenthive.access.Principal;
import io.agenthive.agent.AgentLifecycle;
import io.agenthive.agent.AgentState;
import io.agenthive.agent.AgentView;
import io.agenthive.hive.Hive;
import io.agenthive.node.HiveNode;
import io.agenthive.task.Priority;
import io.agenthive.task.Task;
import io.agenthive.task.TaskStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hub stopped and started again on the same database comes back as it was. */
class DurableHiveTest {
  @TempDir Path dataDir;

  static Config durable(Path dir) {
    return ConfigFactory.parseString("hive.core.snapshot-every = 5")
        .withFallback(TestDatabase.config(dir));
  }

  static void stop(Hive hive) throws Exception {
    hive.system().terminate();
    hive.system().getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void agentsTasksAndResultsSurviveARestartAndPendingWorkResumes() throws Exception {
    Config config = durable(dataDir);
    Hive first = HiveNode.start("durable", config);
    await(first.ready(Duration.ofSeconds(20)));
    AgentView coder = agent(first, "coder", "noop", cap("code", 0.5));
    Task done = submit(first, task("done before restart", Priority.HIGH, needs("code", 0.1)));
    Task finished = awaitStatus(first, done.id(), TaskStatus.COMPLETED);
    for (int i = 0; i < 6; i++) { // enough events for snapshots to be taken
      awaitStatus(
          first,
          submit(first, task("warm-" + i, Priority.LOW, needs("code", 0.1))).id(),
          TaskStatus.COMPLETED);
    }
    Task waiting = submit(first, task("needs a writer", Priority.MEDIUM, needs("writing", 0.5)));
    AgentView before =
        eventually(
            () -> {
              AgentView v = await(first.agents().get(coder.id())).orElseThrow();
              return v.tasksCompleted() == 7 ? v : null;
            },
            "seven completions");
    stop(first);
    assertTrue(
        TestDatabase.postgres() || Files.exists(dataDir.resolve("hive.mv.db")),
        "the journal is an H2 file");

    Hive second = HiveNode.start("durable", config);
    try {
      await(second.ready(Duration.ofSeconds(20)));
      AgentView after = await(second.agents().get(coder.id())).orElseThrow();
      assertEquals(before.capabilities(), after.capabilities(), "learned proficiency is kept");
      assertEquals(7, after.tasksCompleted());
      assertEquals(AgentState.IDLE, after.state());

      Task again = task(second, finished.id());
      assertEquals(finished.result(), again.result());
      assertEquals(finished.completedAt(), again.completedAt());
      assertEquals(TaskStatus.PENDING, task(second, waiting.id()).status());

      AgentView writer = agent(second, "writer", "noop", cap("writing", 0.9));
      assertEquals(
          writer.id(), awaitStatus(second, waiting.id(), TaskStatus.COMPLETED).assignedAgent());
      Task fresh = submit(second, task("after restart", Priority.LOW, needs("code", 0.1)));
      assertEquals(
          coder.id(),
          awaitStatus(second, fresh.id(), TaskStatus.COMPLETED).assignedAgent(),
          "recovered agents take new work");
    } finally {
      stop(second);
    }
  }

  @Test
  void aTaskRunningAtShutdownIsRequeuedWithTheAttemptCountedAndFinishes() throws Exception {
    Config config = durable(dataDir);
    Hive first = HiveNode.start("durable", config);
    await(first.ready(Duration.ofSeconds(20)));
    AgentView stuck = agent(first, "stuck", "never-completes", cap("slow", 0.9));
    Task running = submit(first, task("interrupted", Priority.HIGH, needs("slow", 0.1)));
    awaitStatus(first, running.id(), TaskStatus.RUNNING);
    // it keeps running, but takes nothing after the restart: the task must wait for the rescuer
    await(
        first
            .agents()
            .changeState(stuck.id(), AgentLifecycle.Transition.RETIRE, true, Principal.HUB));
    stop(first);

    Hive second = HiveNode.start("durable", config);
    try {
      await(second.ready(Duration.ofSeconds(20)));
      Task requeued = awaitStatus(second, running.id(), TaskStatus.PENDING);
      assertEquals(1, requeued.attempts(), "the interrupted attempt counts");
      assertTrue(requeued.result().error().contains("restarted"), requeued.result().error());

      agent(second, "rescuer", "noop", cap("slow", 0.95));
      Task done = awaitStatus(second, running.id(), TaskStatus.COMPLETED);
      assertEquals(2, done.attempts(), "the lost attempt and the rescuer's");
    } finally {
      stop(second);
    }
  }
}
