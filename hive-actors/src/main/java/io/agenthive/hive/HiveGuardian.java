package io.agenthive.hive;

import io.agenthive.common.HiveSettings;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.ClusterSingleton;
import akka.cluster.typed.Join;
import akka.cluster.typed.SingletonActor;
import io.agenthive.board.TaskBoard;
import io.agenthive.dataset.DatasetJobs;
import io.agenthive.dataset.Datasets;
import io.agenthive.skill.SkillRegistry;
import io.agenthive.task.TaskEntity;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;

/**
 * The root of a hive node: joins the cluster (itself, when no seed nodes are configured), starts
 * the task board and dataset jobs singletons and task sharding, spawns the node's coordinator,
 * and hands the {@link Hive} facade to whoever started the system.
 */
public final class HiveGuardian {
  private HiveGuardian() {}

  public static Behavior<Void> create(CompletableFuture<Hive> started) {
    return Behaviors.setup(ctx -> {
      var system = ctx.getSystem();
      Cluster cluster = Cluster.get(system);
      if (system.settings().config().getStringList("akka.cluster.seed-nodes").isEmpty()) {
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
      }
      HiveSettings settings = HiveSettings.from(system.settings().config());
      SkillRegistry skills = SkillRegistry.load();
      Clock clock = Clock.systemUTC();

      ActorRef<TaskBoard.Command> board = ClusterSingleton.get(system).init(SingletonActor.of(
          Behaviors.supervise(TaskBoard.create(settings, clock))
              .onFailure(settings.restartBackoff()),
          TaskBoard.NAME));
      ActorRef<DatasetJobs.Command> jobs = ClusterSingleton.get(system).init(SingletonActor.of(
          Behaviors.supervise(DatasetJobs.create(settings, Datasets.get(system).settings(), clock))
              .onFailure(settings.restartBackoff()),
          DatasetJobs.NAME));
      ClusterSharding.get(system).init(Entity.of(TaskEntity.TYPE_KEY,
          entity -> TaskEntity.create(entity.getEntityId(), settings, board, jobs,
              entity.getShard(), clock)));
      ActorRef<HiveCoordinator.Command> coordinator =
          ctx.spawn(HiveCoordinator.create(settings, board, skills, clock), "hive-coordinator");

      started.complete(new Hive(system, settings, skills, board, coordinator));
      return Behaviors.empty();
    });
  }
}
