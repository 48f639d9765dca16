package io.agenthive.hive;

import static io.agenthive.hive.HiveTestKit.*;
import static io.agenthive.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.typesafe.config.ConfigFactory;
import io.agenthive.access.Principal;
import io.agenthive.common.HiveException;
import io.agenthive.task.Priority;
import io.agenthive.task.Task;
import io.agenthive.task.TaskStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class QueueBoundTest {
  static final ActorTestKit kit =
      ActorTestKit.create(
          ConfigFactory.parseString("hive.core.tasks.queue-bound = 3")
              .withFallback(ConfigFactory.load("application-test")));
  static final Hive hive = HiveTestKit.start(kit);

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  @Test
  void submissionsPastTheBoundAreRefusedNeverDroppedAndRoomReopensAsTasksLeave() {
    Task first = submit(hive, task("bound-1", Priority.LOW, needs("bound.none", 0.1)));
    submit(hive, task("bound-2", Priority.LOW, needs("bound.none", 0.1)));
    submit(hive, task("bound-3", Priority.LOW, needs("bound.none", 0.1)));

    Throwable refused = failureOf(hive.tasks().submitTask(task("bound-4", Priority.CRITICAL)));
    assertEquals(HiveException.Kind.QUEUE_FULL, ((HiveException) refused).kind());
    assertTrue(refused.getMessage().contains("queue full"), refused.getMessage());
    assertEquals(
        3, await(hive.ready(java.time.Duration.ofSeconds(3))).queueDepth().get(Priority.LOW));

    await(hive.tasks().cancel(first.id(), Principal.HUB));
    // this node's copy of the counts, which a submission consults first, follows within 100 ms
    eventually(
        () -> await(hive.counts()).queueDepth().get(Priority.LOW) == 2 ? true : null,
        "the cancelled task to leave the queue");
    Task admitted = submit(hive, task("bound-5", Priority.CRITICAL));
    assertEquals(TaskStatus.PENDING, admitted.status());
  }
}
