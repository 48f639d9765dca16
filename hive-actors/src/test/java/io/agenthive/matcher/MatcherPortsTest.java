package io.agenthive.matcher;

import static org.junit.jupiter.api.Assertions.*;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.Behaviors;
import io.agenthive.task.Priority;
import io.agenthive.task.TaskQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Admission survives an ask lost on the way to the matcher (its singleton moving). */
class MatcherPortsTest {
  static final ActorTestKit KIT = ActorTestKit.create("matcher-ports");
  static final TaskQueue.QueuedTask TASK =
      new TaskQueue.QueuedTask("t", Priority.HIGH, List.of(), Instant.EPOCH);

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  /** A matcher that loses the first {@code lost} admissions it is sent, and answers the rest. */
  static ActorRef<MatcherProtocol.Command> losing(int lost, AtomicInteger asked) {
    return KIT.spawn(
        Behaviors.receiveMessage(
            msg -> {
              if (msg instanceof MatcherProtocol.Admit a && asked.incrementAndGet() > lost) {
                a.replyTo().tell(new TaskQueue.Admitted());
              }
              return Behaviors.same();
            }));
  }

  @Test
  void anAdmissionLostOnTheWayIsAskedAgainWithinTheSameTimeout() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    MatcherPorts ports = new MatcherPorts(losing(2, asked), KIT.system(), Duration.ofSeconds(5));
    TaskQueue.Admission answer = ports.admit(TASK).toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertInstanceOf(TaskQueue.Admitted.class, answer);
    assertEquals(3, asked.get(), "two lost tries, answered at the third");
  }

  @Test
  void aMatcherThatNeverAnswersFailsTheAdmissionAfterItsTries() {
    AtomicInteger asked = new AtomicInteger();
    MatcherPorts ports =
        new MatcherPorts(losing(Integer.MAX_VALUE, asked), KIT.system(), Duration.ofMillis(500));
    ExecutionException failed =
        assertThrows(
            ExecutionException.class,
            () -> ports.admit(TASK).toCompletableFuture().get(30, TimeUnit.SECONDS));
    assertInstanceOf(TimeoutException.class, failed.getCause());
    assertEquals(MatcherPorts.ADMIT_TRIES, asked.get());
  }
}
