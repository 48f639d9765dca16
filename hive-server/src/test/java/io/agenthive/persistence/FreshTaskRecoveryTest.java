package io.agenthive.persistence;

import static io.agenthive.hive.HiveTestKit.*;
import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.Config;
import io.agenthive.access.Principal;
import io.agenthive.common.FreshIds;
import io.agenthive.hive.Hive;
import io.agenthive.hive.Tasks;
import io.agenthive.node.HiveNode;
import io.agenthive.task.Priority;
import io.agenthive.task.Task;
import io.agenthive.task.TaskSpec;
import io.agenthive.task.TaskStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task whose id the hub minted at random starts without asking the journal for its events (it can
 * have none), once; a task named by an idempotency key, or started again later, reads them as
 * before, and nothing is lost across a restart.
 */
class FreshTaskRecoveryTest {
  @TempDir Path dataDir;

  @Test
  void mintedTasksSkipTheirFirstRecoveryQueryAndEveryOtherRecoveryReadsTheJournal()
      throws Exception {
    Config config = TestDatabase.config(dataDir);
    Hive first = HiveNode.start("fresh-recovery", config);
    await(first.ready(Duration.ofSeconds(20)));
    FreshIds fresh = FreshIds.get(first.system());
    agent(first, "coder", "noop", cap("code", 0.5));
    List<String> minted = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      minted.add(submit(first, task("minted " + i, Priority.HIGH, needs("code", 0.1))).id());
    }
    for (String id : minted) {
      awaitStatus(first, id, TaskStatus.COMPLETED);
    }
    assertEquals(20, fresh.recoveriesSkipped(), "each minted task skipped one recovery query");

    TaskSpec keyed =
        new TaskSpec(
            "keyed",
            "",
            "general",
            Priority.HIGH,
            List.of(needs("code", 0.1)),
            null,
            null,
            null,
            null,
            "order-17");
    Tasks.Submission once = await(first.tasks().submit(keyed, Principal.HUB, null, null));
    awaitStatus(first, once.task().id(), TaskStatus.COMPLETED);
    Tasks.Submission twice = await(first.tasks().submit(keyed, Principal.HUB, null, null));
    assertFalse(twice.created(), "the same key finds the task it named");
    assertEquals(once.task().id(), twice.task().id());
    assertEquals(20, fresh.recoveriesSkipped(), "a key names an id that may have events");
    first.system().terminate();
    first.system().getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);

    Hive second = HiveNode.start("fresh-recovery", config);
    try {
      await(second.ready(Duration.ofSeconds(20)));
      for (String id : minted) { // started again: each reads its events back
        Task t = task(second, id);
        assertEquals(TaskStatus.COMPLETED, t.status(), id);
        assertEquals(1, t.attempts(), id);
      }
      assertEquals(0, FreshIds.get(second.system()).recoveriesSkipped());
    } finally {
      second.system().terminate();
      second.system().getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
