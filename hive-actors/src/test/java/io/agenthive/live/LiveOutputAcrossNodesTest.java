package io.agenthive.live;

import static io.agenthive.testing.Eventually.until;
import static org.junit.jupiter.api.Assertions.*;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import com.typesafe.config.ConfigFactory;
import io.agenthive.task.Task;
import io.agenthive.task.TaskStatus;
import io.agenthive.testing.StandInTasks;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two nodes of one cluster: the attempt's {@link LiveRun} on one, a {@link LiveFollower} on the
 * other finds it through the receptionist and gets the text so far, then each piece in order, then
 * the end once the task has ended — every message serialized between the nodes.
 */
class LiveOutputAcrossNodesTest {
  static ActorTestKit attemptNode;
  static ActorTestKit clientNode;

  @BeforeAll
  static void start() {
    attemptNode = ActorTestKit.create("live-nodes", ConfigFactory.load("application-test"));
    clientNode = ActorTestKit.create("live-nodes", ConfigFactory.load("application-test"));
    var seed = Cluster.get(attemptNode.system()).selfMember().address();
    Cluster.get(attemptNode.system()).manager().tell(Join.create(seed));
    Cluster.get(clientNode.system()).manager().tell(Join.create(seed));
    until(
        () -> Cluster.get(clientNode.system()).selfMember().status(),
        MemberStatus.up()::equals,
        "the second node to be up");
  }

  @AfterAll
  static void stop() {
    clientNode.shutdownTestKit();
    attemptNode.shutdownTestKit();
  }

  static Task task(TaskStatus status) {
    return StandInTasks.task("t-far", null, status, null);
  }

  @Test
  void aFollowerOnAnotherNodeGetsTheTextSoFarThenEachPieceThenTheEnd() throws Exception {
    ActorRef<LiveRun.Command> run = attemptNode.spawn(LiveRun.create("t-far", 1, 1024));
    run.tell(new LiveRun.Append("before "));
    AtomicReference<Task> current = new AtomicReference<>(task(TaskStatus.RUNNING));
    BlockingQueue<LiveFollower.Event> seen = new LinkedBlockingQueue<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    clientNode.spawn(
        LiveFollower.create(
            "t-far",
            () -> CompletableFuture.completedFuture(Optional.of(current.get())),
            Duration.ofMillis(100),
            new LiveFollower.Listener() {
              @Override
              public boolean offer(LiveFollower.Event event) {
                return seen.add(event);
              }

              @Override
              public void done() {
                done.complete(null);
              }
            }));
    LiveFollower.Event first = seen.poll(20, TimeUnit.SECONDS);
    assertEquals(new LiveFollower.SoFar(1, "before ", false), first, "found across the cluster");
    run.tell(new LiveRun.Append("after"));
    assertEquals(new LiveFollower.Delta(1, "after"), seen.poll(10, TimeUnit.SECONDS));
    current.set(task(TaskStatus.COMPLETED));
    attemptNode.stop(run);
    LiveFollower.Event end = seen.poll(10, TimeUnit.SECONDS);
    assertInstanceOf(LiveFollower.End.class, end);
    assertEquals(TaskStatus.COMPLETED, ((LiveFollower.End) end).task().orElseThrow().status());
    done.get(10, TimeUnit.SECONDS);
    assertNull(seen.poll(200, TimeUnit.MILLISECONDS), "nothing after the end");
  }
}
