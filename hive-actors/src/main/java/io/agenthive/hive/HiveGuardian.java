package io.agenthive.hive;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import io.agenthive.access.Access;
import io.agenthive.access.AccessRegistry;
import io.agenthive.agent.AgentActor;
import io.agenthive.budget.BudgetBoard;
import io.agenthive.budget.BudgetLedger;
import io.agenthive.budget.Budgets;
import io.agenthive.budget.PriceTable;
import io.agenthive.budget.SpendMeter;
import io.agenthive.common.Board;
import io.agenthive.common.HiveSettings;
import io.agenthive.dataset.DatasetJobs;
import io.agenthive.matcher.Backlog;
import io.agenthive.matcher.HiveCounts;
import io.agenthive.matcher.MatcherPorts;
import io.agenthive.matcher.MatcherProtocol;
import io.agenthive.matcher.TaskMatcher;
import io.agenthive.remoteagent.WorkerLink;
import io.agenthive.schedule.ScheduleKeeper;
import io.agenthive.schedule.Schedules;
import io.agenthive.skill.SkillRegistry;
import io.agenthive.task.TaskEntity;
import io.agenthive.workflow.WorkflowEntity;
import io.agenthive.workflow.Workflows;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The root of a hive node: joins the cluster (itself, when neither seed nodes nor discovery are
 * configured), asks each feature to start its singleton or shards on this node (each {@code init}
 * sits beside its entity and says how it is supervised), starts the per-node boards, and hands the
 * {@link Hive} facade to whoever started the system.
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
          if (HiveSettings.alone(config)) {
            cluster.manager().tell(Join.create(cluster.selfMember().address()));
          } else {
            ResolverLooks.start(ctx, config);
          }
          LoneNodeShutdown.register(system);
          HiveSettings settings = HiveSettings.from(system.settings().config());
          // refused at startup rather than when the first follower on another node waits
          io.agenthive.live.LiveOutputLimit.of(system);
          SkillRegistry skills = SkillRegistry.load();
          Clock clock = Clock.systemUTC();

          // each feature starts its own singleton or shards: one line each, in dependency order
          ActorRef<MatcherProtocol.Command> matcher =
              TaskMatcher.init(system, settings, backlog.apply(system), clock);
          MatcherPorts ports = new MatcherPorts(matcher, system, settings.askTimeout());
          ActorRef<DatasetJobs.Command> jobs = DatasetJobs.init(system, settings, clock);
          var datasets = DatasetJobs.runner(jobs, system, settings.askTimeout());
          ActorRef<BudgetLedger.Command> ledger = BudgetLedger.init(system, settings, clock);
          var spending = new SpendMeter(ledger, PriceTable.from(config));
          TaskEntity.init(system, settings, ports, datasets, spending, clock);
          AgentActor.init(system, settings, ports, skills, clock);
          WorkerLink.init(system);
          WorkflowEntity.init(system, settings, clock);
          io.agenthive.subject.SubjectEntity.init(system, settings, clock);
          // the key store is made now: a master key that cannot be read fails the start, not a task
          io.agenthive.subject.Subjects.keys(system);
          ActorRef<AccessRegistry.Command> registry = AccessRegistry.init(system, settings, clock);
          // schedules submit through the hive's clients, so their singleton starts with the facade
          BiFunction<Tasks, Workflows, Schedules> schedules =
              (tasks, workflows) ->
                  new Schedules(
                      ScheduleKeeper.init(
                          system, settings, new ScheduledTasks(tasks, workflows), clock),
                      system,
                      settings.askTimeout());

          // per-node boards: what the singletons publish, read without asking
          AtomicReference<BudgetLedger.Snapshot> budgets = new AtomicReference<>();
          ctx.spawn(
              BudgetBoard.create(
                  ledger, budgets, holds -> matcher.tell(new MatcherProtocol.BudgetHolds(holds))),
              "budget-board",
              Props.empty());
          AtomicReference<HiveCounts> counts = new AtomicReference<>();
          ctx.spawn(
              Board.create(
                  HiveCounts.class,
                  Hive.COUNTS_RESUBSCRIBE,
                  self -> matcher.tell(new MatcherProtocol.Subscribe(self)),
                  counts::set),
              "counts-board",
              Props.empty());
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
                  new Budgets(ledger, budgets, settings.askTimeout(), system.scheduler()),
                  schedules));
          return Behaviors.empty();
        });
  }
}
