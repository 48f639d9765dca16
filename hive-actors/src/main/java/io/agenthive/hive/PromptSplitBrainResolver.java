package io.agenthive.hive;

import akka.actor.AbstractActorWithTimers;
import akka.actor.ActorRef;
import akka.actor.ActorSystem;
import akka.actor.Deploy;
import akka.actor.Props;
import akka.cluster.DowningProvider;
import akka.cluster.sbr.SplitBrainResolver;
import akka.cluster.sbr.SplitBrainResolverProvider;
import java.time.Duration;
import scala.Option;
import scala.concurrent.duration.FiniteDuration;

/**
 * Akka's split brain resolver, unchanged, made to decide when its {@code stable-after} has passed
 * rather than at its next once-a-second look ({@code akka.cluster.downing-provider-class}).
 *
 * <p>Akka's resolver (keep-majority, or whichever strategy {@code
 * akka.cluster.split-brain-resolver} names) decides in a timer tick it fires every second, a fixed
 * interval in Akka 2.8's code. Everything that tick checks is a deadline ({@code stable-after},
 * {@code down-all-when-unstable}, a lease's release), so looking more often changes only how long
 * after its deadline a decision comes: up to a second, half a second on average, of every failover
 * after a crash. This provider starts Akka's resolver, as Akka's own provider configures it, as its
 * only child and sends it that same tick every {@code hive.cluster.resolver-look-interval}; the
 * resolver's own ticks go on as before, and the removal margin is Akka's provider's.
 *
 * <p>The tick is an internal message of Akka's resolver. The stack is pinned at Akka 2.8.5, where
 * it is a case object the resolver answers only with its look; {@code PromptSplitBrainResolverTest}
 * fails if a crashed node is no longer downed through this provider.
 */
public final class PromptSplitBrainResolver extends DowningProvider {
  private final SplitBrainResolverProvider akkas;
  private final Duration lookInterval;

  public PromptSplitBrainResolver(ActorSystem system) {
    this.akkas = new SplitBrainResolverProvider(system);
    this.lookInterval =
        system.settings().config().getDuration("hive.cluster.resolver-look-interval");
  }

  @Override
  public FiniteDuration downRemovalMargin() {
    return akkas.downRemovalMargin();
  }

  @Override
  public Option<Props> downingActorProps() {
    Duration every = lookInterval;
    return akkas
        .downingActorProps()
        .map(resolver -> Props.create(Looks.class, () -> new Looks(resolver, every)));
  }

  /** Akka's resolver as this actor's only child, and a look asked of it every interval. */
  static final class Looks extends AbstractActorWithTimers {
    private static final Object LOOK = "look";
    private final ActorRef resolver;

    Looks(Props resolverProps, Duration every) {
      // like the cluster daemon does for its downing actor: on the daemon's dispatcher
      Props props =
          resolverProps.dispatcher().equals(Deploy.NoDispatcherGiven())
              ? resolverProps.withDispatcher(getContext().getProps().dispatcher())
              : resolverProps;
      this.resolver = getContext().actorOf(props, "resolver");
      getTimers().startTimerWithFixedDelay(LOOK, LOOK, every);
    }

    @Override
    public Receive createReceive() {
      return receiveBuilder()
          .matchEquals(LOOK, look -> resolver.tell(SplitBrainResolver.Tick$.MODULE$, getSelf()))
          .build();
    }
  }
}
