package io.agenthive.live;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import akka.actor.typed.Props;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.receptionist.Receptionist;
import akka.actor.typed.receptionist.ServiceKey;
import io.agenthive.common.CborSerializable;
import io.agenthive.common.LocalOnly;
import java.util.HashMap;
import java.util.Map;

/**
 * This node's registry of running attempts by task id: one actor per node, registered with the
 * cluster receptionist under {@link #KEY}. Why not a pub-sub topic per task: a topic learns of
 * subscribers on other nodes only through the receptionist's gossip, so text published meanwhile
 * would be lost, and a late joiner would still have to ask for the text so far separately. Here a
 * follower asks every node's registry (a handful of nodes, one key, registered once per node) to
 * put it in touch with the task's {@link LiveRun}; the one that has it forwards, the others ignore
 * it, and the run itself then sends the text so far and every later piece in order.
 */
public final class LiveRuns implements Extension {
  public static final ServiceKey<Command> KEY = ServiceKey.create(Command.class, "hive-live-runs");

  public sealed interface Command extends CborSerializable permits Started, Follow, Ended {}

  /** An attempt of {@code taskId} started on this node. */
  public record Started(String taskId, ActorRef<LiveRun.Command> run) implements Command {}

  /** Put {@code follower} in touch with the running attempt of {@code taskId}, if here. */
  public record Follow(String taskId, ActorRef<LiveUpdate> follower) implements Command {}

  private record Ended(String taskId, ActorRef<LiveRun.Command> run)
      implements Command, LocalOnly {}

  private final ActorRef<Command> registry;

  private LiveRuns(ActorSystem<?> system) {
    this.registry =
        system.systemActorOf(
            Behaviors.supervise(behavior()).onFailure(SupervisorStrategy.restart()),
            "live-runs",
            Props.empty());
  }

  public static ActorRef<Command> get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system).registry;
  }

  private static Behavior<Command> behavior() {
    return Behaviors.setup(
        ctx -> {
          ctx.getSystem().receptionist().tell(Receptionist.register(KEY, ctx.getSelf()));
          Map<String, ActorRef<LiveRun.Command>> runs = new HashMap<>();
          return Behaviors.receive(Command.class)
              .onMessage(
                  Started.class,
                  s -> {
                    runs.put(s.taskId(), s.run());
                    ctx.watchWith(s.run(), new Ended(s.taskId(), s.run()));
                    return Behaviors.same();
                  })
              .onMessage(
                  Ended.class,
                  e -> {
                    runs.remove(e.taskId(), e.run());
                    return Behaviors.same();
                  })
              .onMessage(
                  Follow.class,
                  f -> {
                    ActorRef<LiveRun.Command> run = runs.get(f.taskId());
                    if (run != null) {
                      run.tell(new LiveRun.Follow(f.follower()));
                    }
                    return Behaviors.same();
                  })
              .build();
        });
  }

  private static final class Id extends ExtensionId<LiveRuns> {
    static final Id INSTANCE = new Id();

    @Override
    public LiveRuns createExtension(ActorSystem<?> system) {
      return new LiveRuns(system);
    }
  }
}
