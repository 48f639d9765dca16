package io.agenthive.hive;

import static io.agenthive.testing.Eventually.until;
import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.AbstractActor;
import akka.actor.Props;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.ManualTime;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.ClusterEvent;
import akka.cluster.MemberStatus;
import akka.cluster.sbr.SplitBrainResolver;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import akka.cluster.typed.Subscribe;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The resolver this hub configures: Akka's, asked to look every {@code
 * hive.cluster.resolver-look-interval}, and still downing a node that crashed.
 */
class PromptSplitBrainResolverTest {

  /** Stands in for Akka's resolver: hands what it is sent to the test. */
  static final class StandIn extends AbstractActor {
    private final akka.actor.ActorRef test;

    StandIn(akka.actor.ActorRef test) {
      this.test = test;
    }

    @Override
    public Receive createReceive() {
      return receiveBuilder().matchAny(m -> test.tell(m, getSelf())).build();
    }
  }

  @Test
  void theResolverIsAskedToLookEveryInterval() {
    ActorTestKit kit =
        ActorTestKit.create(
            ManualTime.config().withFallback(ConfigFactory.load("application-test")));
    try {
      ManualTime time = ManualTime.get(kit.system());
      TestProbe<Object> resolver = kit.createTestProbe();
      akka.actor.ActorRef to = Adapter.toClassic(resolver.ref());
      Props looks =
          Props.create(
              PromptSplitBrainResolver.Looks.class,
              () ->
                  new PromptSplitBrainResolver.Looks(
                      Props.create(StandIn.class, () -> new StandIn(to)), Duration.ofMillis(100)));
      kit.spawn(
          Behaviors.setup(
              context -> {
                Adapter.actorOf(context, looks);
                return Behaviors.empty();
              }));
      time.expectNoMessageFor(Duration.ofMillis(99), resolver);
      for (int look = 0; look < 3; look++) {
        time.timePasses(Duration.ofMillis(1));
        resolver.expectMessage(SplitBrainResolver.Tick$.MODULE$);
        time.expectNoMessageFor(Duration.ofMillis(99), resolver);
      }
    } finally {
      kit.shutdownTestKit();
    }
  }

  @Test
  void aNodeThatCrashedIsDownedByTheResolverAndRemoved() {
    List<ActorTestKit> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        nodes.add(
            ActorTestKit.create(
                "resolver-nodes",
                ConfigFactory.parseString(
                        // the crashed node must not leave the cluster as a clean stop would
                        "akka.coordinated-shutdown.run-by-actor-system-terminate = off")
                    .withFallback(ConfigFactory.load("application-test"))));
      }
      var seed = Cluster.get(nodes.get(0).system()).selfMember().address();
      for (ActorTestKit node : nodes) {
        Cluster.get(node.system()).manager().tell(Join.create(seed));
      }
      for (ActorTestKit node : nodes) {
        until(
            () -> Cluster.get(node.system()).state().members().size(),
            n ->
                n == 3
                    && Cluster.get(node.system()).selfMember().status().equals(MemberStatus.up()),
            "three nodes up");
      }
      ActorTestKit survivor = nodes.get(0);
      ActorTestKit crashed = nodes.get(2);
      var crashedAddress = Cluster.get(crashed.system()).selfMember().uniqueAddress();
      TestProbe<ClusterEvent.MemberDowned> downed = survivor.createTestProbe();
      Cluster.get(survivor.system())
          .subscriptions()
          .tell(Subscribe.create(downed.ref(), ClusterEvent.MemberDowned.class));

      crashed.system().terminate();

      // a node that left cleanly is never Down: only a resolver downs one that went silent
      ClusterEvent.MemberDowned down =
          downed.expectMessageClass(ClusterEvent.MemberDowned.class, Duration.ofSeconds(20));
      assertEquals(crashedAddress, down.member().uniqueAddress());
      until(
          () -> Cluster.get(survivor.system()).state().members().size(),
          n -> n == 2,
          "the downed node removed");
    } finally {
      nodes.forEach(ActorTestKit::shutdownTestKit);
    }
  }
}
