package io.agenthive.hive;

import static io.agenthive.hive.HiveTestKit.*;
import static org.junit.jupiter.api.Assertions.*;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import io.agenthive.agent.AgentActor;
import io.agenthive.agent.AgentProtocol;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A node alone stops without handing its shards to nobody. Once a CI run's hub took longer than the
 * test kit's 10 s to stop: a worker's goodbye reached an agent's region while the region was
 * handing off, and waited there for a shard home until the region's phase timed out.
 */
class LoneNodeShutdownTest {

  @Test
  void aLoneNodeStopsPromptlyThoughItsEntitiesAreStillMessagedWhileItsRegionsStop()
      throws Exception {
    ActorTestKit kit = ActorTestKit.create("lone-node-shutdown");
    Hive hive = HiveTestKit.start(kit);
    for (int i = 0; i < 5; i++) {
      // live agents give the agents' region shards of its own to stop
      agent(hive, "lone-" + i, "simulated", cap("lone.work", 0.8));
    }
    ClusterSharding sharding = ClusterSharding.get(kit.system());
    AtomicInteger late = new AtomicInteger();
    // while the regions stop, agents the region has never seen are messaged every few ms, as a
    // closing worker socket or an entity's timer can: each needs a new shard home
    CoordinatedShutdown.get(kit.system())
        .addTask(
            CoordinatedShutdown.PhaseClusterShardingShutdownRegion(),
            "late-messages",
            () -> {
              kit.system()
                  .scheduler()
                  .scheduleAtFixedRate(
                      Duration.ZERO,
                      Duration.ofMillis(5),
                      () ->
                          sharding
                              .entityRefFor(AgentActor.TYPE_KEY, "late-" + late.incrementAndGet())
                              .tell(new AgentProtocol.ConfirmRuns(Set.of())),
                      kit.system().executionContext());
              return CompletableFuture.completedFuture(Done.getInstance());
            });

    long started = System.nanoTime();
    kit.system().terminate();
    kit.system().getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertTrue(late.get() > 0, "no late message was sent while the regions stopped");
    // handing off to nobody would wait out the region phase's timeout (about 9 s) instead
    assertTrue(
        took.compareTo(Duration.ofSeconds(5)) < 0,
        "a lone node took " + took.toMillis() + " ms to stop");
  }
}
