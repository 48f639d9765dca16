package io.agenthive.hive;

import akka.Done;
import akka.actor.ActorRef;
import akka.actor.CoordinatedShutdown;
import akka.actor.PoisonPill;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.ClusterEvent.MemberPreparingForShutdown;
import akka.cluster.Member;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.PrepareForFullClusterShutdown;
import akka.cluster.typed.Subscribe;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;

/**
 * A node that is the only member up has no one to hand its shards and singletons to, so its
 * shutdown first prepares a full cluster shutdown: its sharding regions then stop at once instead
 * of handing off. Without this, a message sent to an entity while the regions stop (a worker's
 * goodbye on its closing socket, an entity's timer) waits in its region for a shard home that the
 * stopping coordinator no longer gives, and holds the whole shutdown until Akka's region phase
 * times out, about 10 s later. Nothing journaled depends on the hand-off: the entities' events are
 * written, and remembered workflows start again on the next start.
 *
 * <p>A node with other members up hands off as usual: in a rolling restart its entities must move.
 *
 * <p>The preparation alone was not enough on loaded machines: twice a node read as preparing within
 * milliseconds, yet one of its regions began a hand-off (which a region does only while it has not
 * read the preparation), then read it and ignored the hand-off it had asked for, holding the
 * shutdown until its own timeout (about 9 s; a CI run's hub missed the test kit's 10 s). So in the
 * regions' own phase a lone node also stops each region itself, which is all a prepared region
 * does: whichever message a region reads first, it stops at once. The preparation is still asked
 * (it tells coordinators and singletons to start nothing new), and awaited again just before the
 * regions' phase.
 */
final class LoneNodeShutdown {
  /** After this the shutdown says it is still waiting; the preparation is then awaited again. */
  private static final Duration PREPARE_WAIT = Duration.ofSeconds(3);

  private final ActorSystem<?> system;
  private final long startedNanos = System.nanoTime();
  // completed at once when this node is not alone; otherwise when the preparation is seen
  private final CompletableFuture<Done> prepared = new CompletableFuture<>();
  // set once, in the first phase, before the later phases read it
  private volatile boolean alone;

  private LoneNodeShutdown(ActorSystem<?> system) {
    this.system = system;
  }

  static void register(ActorSystem<?> system) {
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
    // made when the shutdown starts: the clock and the membership read are the shutdown's own
    CompletableFuture<LoneNodeShutdown> started = new CompletableFuture<>();
    shutdown.addTask(
        CoordinatedShutdown.PhaseBeforeServiceUnbind(),
        "hive-prepare-lone-node-shutdown",
        () -> {
          LoneNodeShutdown lone = new LoneNodeShutdown(system);
          started.complete(lone);
          return lone.prepareIfAlone();
        });
    shutdown.addTask(
        CoordinatedShutdown.PhaseBeforeClusterShutdown(),
        "hive-await-lone-node-preparation",
        () -> {
          LoneNodeShutdown lone = started.getNow(null);
          return lone == null ? done() : lone.awaitPrepared();
        });
    shutdown.addTask(
        CoordinatedShutdown.PhaseClusterShardingShutdownRegion(),
        "hive-stop-lone-node-regions",
        () -> {
          LoneNodeShutdown lone = started.getNow(null);
          if (lone != null && lone.alone) {
            lone.stopRegions();
          }
          // the regions' own tasks in this phase complete when each region has stopped
          return done();
        });
  }

  /** Stops every shard region of this node, as a region that read the preparation stops itself. */
  private void stopRegions() {
    akka.cluster.sharding.ClusterSharding sharding =
        akka.cluster.sharding.ClusterSharding.get(system.classicSystem());
    for (String typeName : sharding.getShardTypeNames()) {
      sharding.shardRegion(typeName).tell(PoisonPill.getInstance(), ActorRef.noSender());
    }
  }

  private static CompletionStage<Done> done() {
    return CompletableFuture.completedFuture(Done.getInstance());
  }

  private CompletionStage<Done> prepareIfAlone() {
    Cluster cluster = Cluster.get(system);
    Member self = cluster.selfMember();
    if (self.status() != MemberStatus.up() || othersUp(cluster, self)) {
      system
          .log()
          .info(
              "Shutting down as [{}] with other members up: [{}]; shards hand off as usual",
              self.status(),
              othersUp(cluster, self));
      prepared.complete(Done.getInstance());
      return done();
    }
    alone = true;
    system.systemActorOf(watchFor(cluster, self, prepared), "lone-node-shutdown", Props.empty());
    cluster.manager().tell(PrepareForFullClusterShutdown.prepareForFullClusterShutdown());
    prepared.thenRun(
        () ->
            system
                .log()
                .info(
                    "Lone node prepared for a full shutdown in {} ms",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos)));
    CompletableFuture<Done> reported = new CompletableFuture<>();
    prepared.thenRun(() -> reported.complete(Done.getInstance()));
    return reported
        .completeOnTimeout(null, PREPARE_WAIT.toMillis(), TimeUnit.MILLISECONDS)
        .thenApply(
            seen -> {
              if (seen == null) {
                system
                    .log()
                    .warn(
                        "This lone node did not read as preparing for shutdown within {}; the"
                            + " shutdown waits for it again before its shard regions stop",
                        PREPARE_WAIT);
              }
              return Done.getInstance();
            });
  }

  /** Holds the regions' phase back until they have been told (the phase's timeout bounds it). */
  private CompletionStage<Done> awaitPrepared() {
    return prepared;
  }

  private static boolean othersUp(Cluster cluster, Member self) {
    return StreamSupport.stream(cluster.state().getMembers().spliterator(), false)
        .anyMatch(
            m ->
                !m.equals(self)
                    && (m.status() == MemberStatus.up() || m.status() == MemberStatus.weaklyUp()));
  }

  /**
   * Completes {@code prepared} once this node reads as preparing: the same event has then been
   * given to the sharding regions, ahead of the later phase that stops them.
   */
  private static Behavior<MemberPreparingForShutdown> watchFor(
      Cluster cluster, Member self, CompletableFuture<Done> prepared) {
    return Behaviors.setup(
        ctx -> {
          cluster
              .subscriptions()
              .tell(Subscribe.create(ctx.getSelf(), MemberPreparingForShutdown.class));
          return Behaviors.receiveMessage(
              event -> {
                if (!event.member().uniqueAddress().equals(self.uniqueAddress())) {
                  return Behaviors.same();
                }
                prepared.complete(Done.getInstance());
                return Behaviors.stopped();
              });
        });
  }
}
