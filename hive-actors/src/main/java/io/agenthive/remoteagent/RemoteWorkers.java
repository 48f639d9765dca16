package io.agenthive.remoteagent;

import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityRef;

/**
 * Where the {@link WorkerLink} of a remote agent is: a sharded entity, found by agent id from any
 * node (HiveGuardian initialises its sharding).
 */
public final class RemoteWorkers {
  private RemoteWorkers() {}

  public static EntityRef<WorkerLink.Command> link(ActorSystem<?> system, String agentId) {
    return ClusterSharding.get(system).entityRefFor(WorkerLink.TYPE_KEY, agentId);
  }
}
