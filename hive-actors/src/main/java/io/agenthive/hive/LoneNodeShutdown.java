package io.agenthive.hive;

import akka.Done;
import akka.actor.CoordinatedShutdown;
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
 */
final class LoneNodeShutdown {
  /** How long the shutdown waits to see the preparation; after that it hands off as before. */
  private static final Duration PREPARE_WAIT = Duration.ofSeconds(3);

  private LoneNodeShutdown() {}

  static void register(ActorSystem<?> system) {
    CoordinatedShutdown.get(system)
        .addTask(
            CoordinatedShutdown.PhaseBeforeServiceUnbind(),
            "hive-prepare-lone-node-shutdown",
            () -> prepareIfAlone(system));
  }

  private static CompletionStage<Done> prepareIfAlone(ActorSystem<?> system) {
    Cluster cluster = Cluster.get(system);
    Member self = cluster.selfMember();
    if (self.status() != MemberStatus.up() || othersUp(cluster, self)) {
      system
          .log()
          .info(
              "Shutting down as [{}] with other members up: [{}]; shards hand off as usual",
              self.status(),
              othersUp(cluster, self));
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    CompletableFuture<Done> prepared = new CompletableFuture<>();
    system.systemActorOf(watchFor(cluster, self, prepared), "lone-node-shutdown", Props.empty());
    cluster.manager().tell(PrepareForFullClusterShutdown.prepareForFullClusterShutdown());
    // not seeing it in time changes nothing but the speed: the regions then hand off as usual
    long asked = System.nanoTime();
    return prepared
        .completeOnTimeout(null, PREPARE_WAIT.toMillis(), TimeUnit.MILLISECONDS)
        .thenApply(
            seen -> {
              if (seen == null) {
                system
                    .log()
                    .warn(
                        "This lone node did not read as preparing for shutdown within {}: its"
                            + " shard regions hand off as usual",
                        PREPARE_WAIT);
              } else {
                system
                    .log()
                    .info(
                        "Lone node prepared for a full shutdown in {} ms",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked));
              }
              return Done.getInstance();
            });
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
