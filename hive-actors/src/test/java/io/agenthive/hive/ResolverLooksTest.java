package io.agenthive.hive;

import static io.agenthive.testing.Eventually.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.FishingOutcomes;
import akka.actor.testkit.typed.javadsl.ManualTime;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.javadsl.Adapter;
import akka.cluster.ClusterEvent;
import akka.cluster.MemberStatus;
import akka.cluster.sbr.SplitBrainResolver;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import akka.cluster.typed.Subscribe;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Akka's split brain resolver asked to look every interval while a decision is awaited, found where
 * Akka 2.8 starts it, and still downing a node that crashed.
 */
class ResolverLooksTest {
  private static final Object LOOK = SplitBrainResolver.Tick$.MODULE$;

  @Test
  void theResolverIsAskedToLookEveryIntervalWhileADecisionIsAwaited() {
    ActorTestKit kit =
        ActorTestKit.create(
            ConfigFactory.parseString("akka.actor.provider = local") // the looks need no cluster
                .withFallback(ManualTime.config())
                .withFallback(ConfigFactory.load("application-test")));
    try {
      ManualTime time = ManualTime.get(kit.system());
      TestProbe<Object> resolver = kit.createTestProbe();
      AtomicBoolean awaited = new AtomicBoolean(true);
      var looks =
          kit.spawn(
              ResolverLooks.create(
                  resolver.ref().path().toStringWithoutAddress(),
                  Duration.ofMillis(100),
                  awaited::get));
      // once found, asked at once: from here on the looks' timer runs
      resolver.expectMessage(LOOK);
      time.timePasses(Duration.ofMillis(99));
      resolver.expectNoMessage(Duration.ofMillis(300));
      time.timePasses(Duration.ofMillis(1));
      resolver.expectMessage(LOOK);
      time.timePasses(Duration.ofMillis(100));
      resolver.expectMessage(LOOK);

      awaited.set(false);
      time.timePasses(Duration.ofMillis(100));
      resolver.expectNoMessage(Duration.ofMillis(300));
      awaited.set(true);
      time.timePasses(Duration.ofMillis(100));
      resolver.expectMessage(LOOK);

      // the resolver stops only with its node's cluster: so do the looks
      resolver.stop();
      kit.createTestProbe().expectTerminated(looks);
    } finally {
      kit.shutdownTestKit();
    }
  }

  @Test
  void aDecisionIsAwaitedByTheLeaderWhileAnUnreachableMemberIsNeitherDownNorExiting() {
    for (MemberStatus s :
        List.of(
            MemberStatus.joining(),
            MemberStatus.weaklyUp(),
            MemberStatus.up(),
            MemberStatus.leaving(),
            MemberStatus.shuttingDown(),
            MemberStatus.shutDown())) {
      assertTrue(ResolverLooks.awaitsDecision(true, List.of(s)), s.toString());
      assertFalse(ResolverLooks.awaitsDecision(false, List.of(s)), "not leading: " + s);
      assertTrue(ResolverLooks.awaitsDecision(true, List.of(MemberStatus.down(), s)), "and " + s);
    }
    assertFalse(ResolverLooks.awaitsDecision(true, List.of()), "none unreachable");
    assertFalse(
        ResolverLooks.awaitsDecision(true, List.of(MemberStatus.down(), MemberStatus.exiting())),
        "already decided");
  }

  @Test
  void akkasResolverIsWhereTheLooksAreSent() throws Exception {
    ActorTestKit kit = ActorTestKit.create(ConfigFactory.load("application-test"));
    try {
      Cluster cluster = Cluster.get(kit.system());
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
      until(() -> cluster.selfMember().status(), MemberStatus.up()::equals, "the node up");
      akka.actor.ActorRef found =
          Adapter.toClassic(kit.system())
              .actorSelection(ResolverLooks.RESOLVER_PATH)
              .resolveOne(Duration.ofSeconds(10))
              .toCompletableFuture()
              .get(15, TimeUnit.SECONDS);
      assertNotNull(found);
    } finally {
      kit.shutdownTestKit();
    }
  }

  @Test
  void aNodeThatCrashedIsDownedAndRemovedWhileTheResolverIsAskedToLook() {
    // three nodes in one JVM on two cores: a pause long enough that no survivor looks lost
    Config node =
        ConfigFactory.parseString(
                "akka.cluster.failure-detector.acceptable-heartbeat-pause = 5s\n"
                    // long enough to see the decision awaited before it is taken
                    + "akka.cluster.split-brain-resolver.stable-after = 3s\n"
                    // the crashed node must not leave the cluster as a clean stop would
                    + "akka.coordinated-shutdown.run-by-actor-system-terminate = off")
            .withFallback(ConfigFactory.load("application-test"));
    List<ActorTestKit> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        nodes.add(ActorTestKit.create("resolver-nodes", node));
      }
      var seed = Cluster.get(nodes.get(0).system()).selfMember().address();
      for (ActorTestKit n : nodes) {
        Cluster.get(n.system()).manager().tell(Join.create(seed));
      }
      for (ActorTestKit n : nodes) {
        until(
            () -> Cluster.get(n.system()).state().members().size(),
            size ->
                size == 3
                    && Cluster.get(n.system()).selfMember().status().equals(MemberStatus.up()),
            "three nodes up");
        n.spawn(
            ResolverLooks.create(
                ResolverLooks.RESOLVER_PATH,
                Duration.ofMillis(100),
                () ->
                    ResolverLooks.awaitsDecision(
                        akka.cluster.Cluster.get(Adapter.toClassic(n.system())))));
      }
      ActorTestKit survivor = nodes.get(0);
      ActorTestKit crashed = nodes.get(2);
      var crashedAddress = Cluster.get(crashed.system()).selfMember().uniqueAddress();
      TestProbe<ClusterEvent.MemberDowned> downed = survivor.createTestProbe();
      Cluster.get(survivor.system())
          .subscriptions()
          .tell(Subscribe.create(downed.ref(), ClusterEvent.MemberDowned.class));

      List<akka.cluster.Cluster> survivors =
          nodes.subList(0, 2).stream()
              .map(n -> akka.cluster.Cluster.get(Adapter.toClassic(n.system())))
              .toList();
      assertEquals(0, awaiting(survivors), "nothing to decide while every node answers");

      crashed.system().terminate();

      // while both survivors see it unreachable and not yet down, only their leader awaits
      until(
          () ->
              survivors.stream()
                      .allMatch(
                          c ->
                              c.state().getUnreachable().stream()
                                  .anyMatch(
                                      m ->
                                          m.uniqueAddress().equals(crashedAddress)
                                              && m.status().equals(MemberStatus.up())))
                  && awaiting(survivors) == 1,
          Boolean::booleanValue,
          "the crashed node unreachable and up to both survivors, the leader alone awaiting");

      // a node that left cleanly is never Down: only the resolver downs one that went silent
      downed.fishForMessage(
          Duration.ofSeconds(30),
          d ->
              d.member().uniqueAddress().equals(crashedAddress)
                  ? FishingOutcomes.complete()
                  : FishingOutcomes.continueAndIgnore());
      until(() -> awaiting(survivors), n -> n == 0, "no decision awaited once it is down");
      until(
          () -> Cluster.get(survivor.system()).state().members().size(),
          size -> size == 2,
          "the downed node removed");
      assertEquals(
          MemberStatus.up(), Cluster.get(survivor.system()).selfMember().status(), "survivor up");
    } finally {
      nodes.forEach(ActorTestKit::shutdownTestKit);
    }
  }

  private static long awaiting(List<akka.cluster.Cluster> nodes) {
    return nodes.stream().filter(ResolverLooks::awaitsDecision).count();
  }
}
