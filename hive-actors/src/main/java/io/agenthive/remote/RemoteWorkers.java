package io.agenthive.remote;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import akka.actor.typed.Props;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * This node's {@link WorkerLink}s, one per remote agent, created on first use by either side
 * (the agent's skill or the worker's socket). An Akka extension: one per actor system.
 */
public final class RemoteWorkers implements Extension {
  private final ActorSystem<?> system;
  private final Duration grace;
  private final ConcurrentMap<String, ActorRef<WorkerLink.Command>> links =
      new ConcurrentHashMap<>();

  private RemoteWorkers(ActorSystem<?> system) {
    this.system = system;
    this.grace = system.settings().config().getDuration("hive.workers.grace-period");
  }

  public static RemoteWorkers get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  public ActorRef<WorkerLink.Command> link(String agentId) {
    return links.computeIfAbsent(agentId, id -> system.systemActorOf(
        WorkerLink.create(id, grace), "worker-link-" + id, Props.empty()));
  }

  private static final class Id extends ExtensionId<RemoteWorkers> {
    static final Id INSTANCE = new Id();

    @Override
    public RemoteWorkers createExtension(ActorSystem<?> system) {
      return new RemoteWorkers(system);
    }
  }
}
