package io.agenthive.hive;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.ClusterShardingSettings;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.ClusterSingleton;
import akka.cluster.typed.Join;
import akka.cluster.typed.SingletonActor;
import io.agenthive.access.Access;
import io.agenthive.access.AccessRegistry;
import io.agenthive.agent.AgentActor;
import io.agenthive.budget.BudgetBoard;
import io.agenthive.budget.BudgetLedger;
import io.agenthive.budget.PriceTable;
import io.agenthive.budget.SpendMeter;
import io.agenthive.common.Board;
import io.agenthive.common.HiveSettings;
import io.agenthive.dataset.DatasetJobs;
import io.agenthive.dataset.Datasets;
import io.agenthive.matcher.Backlog;
import io.agenthive.matcher.HiveCounts;
import io.agenthive.matcher.MatcherPorts;
import io.agenthive.matcher.MatcherProtocol;
import io.agenthive.matcher.TaskMatcher;
import io.agenthive.remoteagent.WorkerLink;
import io.agenthive.skill.SkillRegistry;
import io.agenthive.task.TaskEntity;
import io.agenthive.task.TaskProtocol;
import io.agenthive.workflow.WorkflowEntity;
import io.agenthive.workflow.WorkflowProtocol;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The root of a hive node: joins the cluster (itself, when neither seed nodes nor discovery are
 * configured), starts the matcher and dataset jobs singletons, shards task and agent entities
 * (agents restart with backoff, declared here where they are created), and hands the {@link Hive}
 * facade to whoever started the system.
 */
public final class HiveGuardian {
  private HiveGuardian() {}

  /** {@code backlog}: where the matcher rebuilds from, made once the system exists. */
  public static Behavior<Void> create(
      CompletableFuture<Hive> started, Function<ActorSystem<?>, Backlog> backlog) {
    return Behaviors.setup(
        ctx -> {
          ActorSystem<Void> system = ctx.getSystem();
          Cluster cluster = Cluster.get(system);
          // a cluster of one joins itself; nodes with seeds or discovery are joined by those
          var config = system.settings().config();
          if (config.getStringList("akka.cluster.seed-nodes").isEmpty()
              && config.getString("hive.cluster.discovery").isBlank()) {
            cluster.manager().tell(Join.create(cluster.selfMember().address()));
          }
          LoneNodeShutdown.register(system);
          HiveSettings settings = HiveSettings.from(system.settings().config());
          SkillRegistry skills = SkillRegistry.load();
          Clock clock = Clock.systemUTC();

          ActorRef<MatcherProtocol.Command> matcher =
              ClusterSingleton.get(system)
                  .init(
                      SingletonActor.of(
                          Behaviors.supervise(
                                  TaskMatcher.create(settings, backlog.apply(system), clock))
                              .onFailure(settings.restartBackoff()),
                          TaskMatcher.NAME));
          MatcherPorts ports = new MatcherPorts(matcher, system, settings.askTimeout());
          ActorRef<DatasetJobs.Command> jobs =
              ClusterSingleton.get(system)
                  .init(
                      SingletonActor.of(
                          Behaviors.supervise(
                                  DatasetJobs.create(
                                      settings, Datasets.get(system).settings(), clock))
                              .onFailure(settings.restartBackoff()),
                          DatasetJobs.NAME));
          var datasets = DatasetJobs.runner(jobs, system, settings.askTimeout());
          ActorRef<BudgetLedger.Command> ledger =
              ClusterSingleton.get(system)
                  .init(
                      SingletonActor.of(
                          Behaviors.supervise(BudgetLedger.create(settings, clock))
                              .onFailure(settings.restartBackoff()),
                          BudgetLedger.NAME));
          var spending = new SpendMeter(ledger, PriceTable.from(config));
          AtomicReference<BudgetLedger.Snapshot> budgets = new AtomicReference<>();
          ctx.spawn(
              BudgetBoard.create(
                  ledger, budgets, holds -> matcher.tell(new MatcherProtocol.BudgetHolds(holds))),
              "budget-board",
              Props.empty());
          ClusterSharding sharding = ClusterSharding.get(system);
          sharding.init(
              Entity.of(
                      TaskEntity.TYPE_KEY,
                      entity ->
                          TaskEntity.create(
                              entity.getEntityId(),
                              settings,
                              new TaskEntity.Links(ports, datasets, entity.getShard(), spending),
                              clock))
                  .withStopMessage(TaskProtocol.Stop.INSTANCE));
          // agents leave memory on their own when idle, never while they run something
          sharding.init(
              Entity.of(
                      AgentActor.TYPE_KEY,
                      entity ->
                          Behaviors.supervise(
                                  AgentActor.create(
                                      entity.getEntityId(),
                                      settings,
                                      new AgentActor.Links(ports, skills, entity.getShard()),
                                      clock))
                              .onFailure(settings.restartBackoff()))
                  .withSettings(
                      ClusterShardingSettings.create(system).withNoPassivationStrategy()));
          Duration grace = system.settings().config().getDuration("hive.workers.grace-period");
          // a link holds attempts in memory: it must not leave while its worker is away
          sharding.init(
              Entity.of(
                      WorkerLink.TYPE_KEY, entity -> WorkerLink.create(entity.getEntityId(), grace))
                  .withSettings(
                      ClusterShardingSettings.create(system).withNoPassivationStrategy()));

          // a workflow that has not ended must come back after a crash: remembered, and it
          // leaves (and is forgotten) itself when its last step ends
          Duration rewatch = config.getDuration("hive.workflows.rewatch-interval");
          sharding.init(
              Entity.of(
                      WorkflowEntity.TYPE_KEY,
                      entity ->
                          WorkflowEntity.create(
                              entity.getEntityId(), settings, rewatch, entity.getShard(), clock))
                  .withStopMessage(WorkflowProtocol.Stop.INSTANCE)
                  .withSettings(ClusterShardingSettings.create(system).withRememberEntities(true)));

          AtomicReference<HiveCounts> counts = new AtomicReference<>();
          ctx.spawn(
              Board.create(
                  HiveCounts.class,
                  Hive.COUNTS_RESUBSCRIBE,
                  self -> matcher.tell(new MatcherProtocol.Subscribe(self)),
                  counts::set),
              "counts-board",
              Props.empty());
          ActorRef<AccessRegistry.Command> registry =
              ClusterSingleton.get(system)
                  .init(
                      SingletonActor.of(
                          Behaviors.supervise(AccessRegistry.create(settings, clock))
                              .onFailure(settings.restartBackoff()),
                          AccessRegistry.NAME));
          AtomicReference<AccessRegistry.KeyRing> ring = new AtomicReference<>();
          // every half second: a revoked key must be refused on every node within a second
          ctx.spawn(
              Board.create(
                  AccessRegistry.KeyRing.class,
                  Duration.ofMillis(500),
                  self -> registry.tell(new AccessRegistry.Subscribe(self)),
                  ring::set),
              "key-ring",
              Props.empty());
          Access access = new Access(registry, ring, system, settings.askTimeout());
          started.complete(
              new Hive(
                  system,
                  settings,
                  skills,
                  matcher,
                  counts,
                  access,
                  new Budgets(ledger, budgets, settings.askTimeout(), system.scheduler())));
          return Behaviors.empty();
        });
  }
}
