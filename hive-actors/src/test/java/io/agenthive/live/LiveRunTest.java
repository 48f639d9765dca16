package io.agenthive.live;

import static org.junit.jupiter.api.Assertions.*;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * One attempt's live output: pieces then {@code Over} in order when told {@code Finish} (it used to
 * be stopped ahead of queued pieces), every {@code Follow} answered, one {@code Truncated} at the
 * cap, and {@code Sync} answered after the pieces sent before it.
 */
class LiveRunTest {
  static final ActorTestKit kit = ActorTestKit.create("live-run");

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @Test
  void piecesThenTruncatedOnceThenOverWhenFinished() {
    ActorRef<LiveRun.Command> run = kit.spawn(LiveRun.create("t1", 1, 10));
    TestProbe<LiveUpdate> follower = kit.createTestProbe();
    run.tell(new LiveRun.Follow(follower.getRef()));
    assertEquals("", follower.expectMessageClass(LiveUpdate.SoFar.class).text());
    run.tell(new LiveRun.Follow(follower.getRef()));
    follower.expectMessageClass(LiveUpdate.SoFar.class); // answered again, not ignored
    for (int i = 0; i < 4; i++) {
      run.tell(new LiveRun.Append("abc"));
    }
    run.tell(new LiveRun.Append("more"));
    run.tell(new LiveRun.Finish());
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      text.append(follower.expectMessageClass(LiveUpdate.Delta.class).text());
    }
    text.append(follower.expectMessageClass(LiveUpdate.Delta.class).text());
    assertEquals("abcabcabca", text.toString(), "up to the cap of 10 bytes");
    follower.expectMessageClass(LiveUpdate.Truncated.class);
    follower.expectMessage(new LiveUpdate.Over("t1", 1));
    follower.expectTerminated(run, Duration.ofSeconds(3));
  }

  @Test
  void syncIsAnsweredAfterThePiecesBeforeIt() {
    ActorRef<LiveRun.Command> run = kit.spawn(LiveRun.create("t2", 1, 1000));
    TestProbe<LiveUpdate> follower = kit.createTestProbe();
    TestProbe<Done> synced = kit.createTestProbe();
    run.tell(new LiveRun.Follow(follower.getRef()));
    follower.expectMessageClass(LiveUpdate.SoFar.class);
    run.tell(new LiveRun.Append("x"));
    run.tell(new LiveRun.Sync(synced.getRef()));
    synced.expectMessage(Done.getInstance());
    assertEquals("x", follower.expectMessageClass(LiveUpdate.Delta.class).text());
  }
}
