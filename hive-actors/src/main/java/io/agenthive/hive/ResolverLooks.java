package io.agenthive.hive;

import akka.actor.ActorIdentity;
import akka.actor.Identify;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.ClusterEvent.CurrentClusterState;
import akka.cluster.Member;
import akka.cluster.MemberStatus;
import akka.cluster.sbr.SplitBrainResolver;
import akka.cluster.sbr.SplitBrainResolverProvider;
import com.typesafe.config.Config;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Asks Akka's split brain resolver to look every {@code hive.cluster.resolver-look-interval} (100
 * ms) while an unreachable node awaits its decision, instead of only at its own look once a second.
 * That second is fixed in Akka 2.8's code, and it added up to a second (half on average) to every
 * failover after a crash.
 *
 * <p>The resolver is left as Akka configures it: nodes must agree on {@code
 * akka.cluster.downing-provider-class} to join one another, so a provider of the hub's own would
 * stop a rolling update. This actor finds the resolver where Akka's cluster daemon starts it, and
 * sends it the resolver's own look: its tick, an internal message. The stack is pinned at Akka
 * 2.8.5; {@code ResolverLooksTest} fails if the resolver is no longer at that path.
 *
 * <p>A look acts only on deadlines: {@code stable-after}, {@code down-all-when-unstable}, a lease's
 * release. So looking more often makes no decision earlier than {@code stable-after}; it only
 * shortens the wait after it. It is asked only while this node leads (only the leader's resolver
 * decides) and an unreachable member is neither down nor exiting: any other the resolver may down
 * (joining, up, leaving, preparing for shutdown). A down member stays unreachable until it is
 * removed, and once {@code stable-after} has passed again the resolver would repeat its decision,
 * with nobody left to down, at each look, logging it each time. It is never asked under {@code
 * lease-majority}, where a look may also retry a lease's release.
 */
public final class ResolverLooks {
  /** Where Akka 2.8's cluster daemon starts the downing provider's actor. */
  static final String RESOLVER_PATH = "/system/cluster/core/daemon/downingProvider";

  private ResolverLooks() {}

  sealed interface Command {}

  private enum Look implements Command {
    INSTANCE
  }

  private record Found(ActorIdentity identity) implements Command {}

  /**
   * Starts the looks on a node that may be one of several, unless they are off ({@code
   * resolver-look-interval} 0), or the resolver is not Akka's or decides by a lease.
   */
  public static void start(ActorContext<?> context, Config config) {
    Duration every = config.getDuration("hive.cluster.resolver-look-interval");
    if (every.isNegative()) {
      throw new IllegalArgumentException(
          "hive.cluster.resolver-look-interval must be 0 (off) or more, not " + every);
    }
    boolean akkasResolver =
        config
            .getString("akka.cluster.downing-provider-class")
            .equals(SplitBrainResolverProvider.class.getName());
    boolean byLease =
        config
            .getString("akka.cluster.split-brain-resolver.active-strategy")
            .equals("lease-majority");
    if (every.isZero() || !akkasResolver || byLease) {
      return;
    }
    akka.cluster.Cluster cluster = akka.cluster.Cluster.get(Adapter.toClassic(context.getSystem()));
    context.spawn(
        create(RESOLVER_PATH, every, () -> awaitsDecision(cluster)), "split-brain-resolver-looks");
  }

  /** Whether the resolver of this node has a decision to take, as the cluster stands now. */
  static boolean awaitsDecision(akka.cluster.Cluster cluster) {
    CurrentClusterState state = cluster.state();
    // most looks are on a node that does not lead: they stop at the leader's address
    return cluster.selfAddress().equals(state.getLeader())
        && awaitsDecision(true, state.getUnreachable().stream().map(Member::status).toList());
  }

  /** This node leads and one of the unreachable members is neither down nor exiting. */
  static boolean awaitsDecision(boolean leads, Iterable<MemberStatus> unreachable) {
    if (!leads) {
      return false;
    }
    for (MemberStatus s : unreachable) {
      if (!s.equals(MemberStatus.down())
          && !s.equals(MemberStatus.exiting())
          && !s.equals(MemberStatus.removed())) {
        return true;
      }
    }
    return false;
  }

  static Behavior<Command> create(String path, Duration every, BooleanSupplier awaitsDecision) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers -> {
                  timers.startTimerWithFixedDelay(Look.INSTANCE, every);
                  ActorRef<ActorIdentity> found =
                      context.messageAdapter(ActorIdentity.class, Found::new);
                  identify(context, path, found);
                  return finding(context, path, found, awaitsDecision);
                }));
  }

  private static void identify(
      ActorContext<Command> context, String path, ActorRef<ActorIdentity> found) {
    context
        .classicActorContext()
        .actorSelection(path)
        .tell(new Identify(path), Adapter.toClassic(found));
  }

  /** Until the resolver is found (the cluster daemon starts it): asked where it is at each look. */
  private static Behavior<Command> finding(
      ActorContext<Command> context,
      String path,
      ActorRef<ActorIdentity> found,
      BooleanSupplier awaitsDecision) {
    return Behaviors.receive(Command.class)
        .onMessageEquals(
            Look.INSTANCE,
            () -> {
              identify(context, path, found);
              return Behaviors.same();
            })
        .onMessage(
            Found.class,
            f ->
                f.identity()
                    .getActorRef()
                    .<Behavior<Command>>map(
                        resolver -> {
                          context.watch(Adapter.toTyped(resolver));
                          lookIfAwaited(resolver, awaitsDecision);
                          return asking(resolver, awaitsDecision);
                        })
                    .orElse(Behaviors.same()))
        .build();
  }

  /**
   * The resolver found: asked to look while a decision is awaited. It stops only when this node is
   * removed or its cluster shuts down (a restart keeps its reference), and so do the looks.
   */
  private static Behavior<Command> asking(
      akka.actor.ActorRef resolver, BooleanSupplier awaitsDecision) {
    return Behaviors.receive(Command.class)
        .onMessageEquals(
            Look.INSTANCE,
            () -> {
              lookIfAwaited(resolver, awaitsDecision);
              return Behaviors.same();
            })
        .onMessage(Found.class, f -> Behaviors.same())
        .onSignal(Terminated.class, t -> Behaviors.stopped())
        .build();
  }

  private static void lookIfAwaited(akka.actor.ActorRef resolver, BooleanSupplier awaitsDecision) {
    if (awaitsDecision.getAsBoolean()) {
      resolver.tell(SplitBrainResolver.Tick$.MODULE$, akka.actor.ActorRef.noSender());
    }
  }
}
