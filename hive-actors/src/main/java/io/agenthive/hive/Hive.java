package io.agenthive.hive;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.cluster.typed.Cluster;
import com.typesafe.config.Config;
import io.agenthive.access.Access;
import io.agenthive.budget.Budgets;
import io.agenthive.common.HiveException;
import io.agenthive.common.HiveSettings;
import io.agenthive.dataset.DatasetSettings;
import io.agenthive.dataset.Datasets;
import io.agenthive.matcher.Backlog;
import io.agenthive.matcher.HiveCounts;
import io.agenthive.matcher.MatcherProtocol;
import io.agenthive.schedule.Schedules;
import io.agenthive.skill.SkillRegistry;
import io.agenthive.task.TaskRefs;
import io.agenthive.workflow.Workflows;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The hive's API for boundaries (launcher, HTTP): validates requests, talks to the actors with
 * bounded asks, and turns typed replies into values or a failed stage with a {@link HiveException}.
 * Reads never fan out: one agent or one task is asked directly, counts come from this node's copy
 * of the matcher's. Nothing here blocks except {@link #start}.
 */
public final class Hive {
  /**
   * How often this node's counts board subscribes to the matcher again (a matcher that restarted or
   * moved has forgotten it); counts older than this are not fresh.
   */
  static final Duration COUNTS_RESUBSCRIBE = Duration.ofSeconds(2);

  private final ActorSystem<?> system;
  private final HiveSettings settings;
  private final Datasets datasets;
  private final ActorRef<MatcherProtocol.Command> matcher;
  private final AtomicReference<HiveCounts> counts;
  private final Tasks tasks;
  private final Agents agents;
  private final Access access;
  private final Workflows workflows;
  private final Budgets budgets;
  private final Schedules schedules;

  Hive(
      ActorSystem<?> system,
      HiveSettings settings,
      SkillRegistry skills,
      ActorRef<MatcherProtocol.Command> matcher,
      AtomicReference<HiveCounts> counts,
      Access access,
      Budgets budgets,
      BiFunction<Tasks, Workflows, Schedules> schedules) {
    this.system = system;
    this.settings = settings;
    this.datasets = Datasets.get(system);
    this.matcher = matcher;
    this.counts = counts;
    TaskRefs refs = new TaskRefs(system, settings.askTimeout());
    this.access = access;
    this.workflows = new Workflows(system, refs, settings);
    this.tasks = new Tasks(system, settings, matcher, this::fresh, refs, workflows);
    this.agents = new Agents(system, settings, skills, matcher);
    this.budgets = budgets;
    this.schedules = schedules.apply(tasks, workflows);
  }

  /** Schedules: tasks submitted on a cron or an interval, each slot once. */
  public Schedules schedules() {
    return schedules;
  }

  /** Registering, reading and pausing, resuming or retiring agents. */
  public Agents agents() {
    return agents;
  }

  /** Submitting, reading, cancelling and retrying tasks. */
  public Tasks tasks() {
    return tasks;
  }

  /** Token and cost budgets, and what they hold back. */
  public Budgets budgets() {
    return budgets;
  }

  /** Workflows: tasks that depend on tasks, submitted and cancelled together. */
  public Workflows workflows() {
    return workflows;
  }

  /** Keys, users and refresh tokens. */
  public Access access() {
    return access;
  }

  /** A hive node without a read side to rebuild from (a fresh, in-memory start). */
  public static Hive start(String name, Config config) throws Exception {
    return start(name, config, system -> Backlog.EMPTY);
  }

  /** Starts a hive node with {@code config}; waits until its actors exist (not recovered). */
  public static Hive start(String name, Config config, Function<ActorSystem<?>, Backlog> backlog)
      throws Exception {
    CompletableFuture<Hive> started = new CompletableFuture<>();
    ActorSystem<Void> system =
        ActorSystem.create(HiveGuardian.create(started, backlog), name, config);
    try {
      return started.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      system.terminate();
      throw e;
    }
  }

  public ActorSystem<?> system() {
    return system;
  }

  public DatasetSettings datasets() {
    return datasets.settings();
  }

  public HiveSettings settings() {
    return settings;
  }

  /** This node's name: {@code hive.node.name}, or its cluster address, unique while it runs. */
  public String nodeName() {
    return settings.nodeName().isBlank()
        ? Cluster.get(system).selfMember().address().hostPort()
        : settings.nodeName();
  }

  /** Completes once the matcher has rebuilt what the journal holds, with the counts then. */
  public CompletionStage<HiveCounts> ready(Duration timeout) {
    return AskPattern.ask(matcher, MatcherProtocol.GetCounts::new, timeout, system.scheduler());
  }

  /**
   * The hive's counts: this node's copy when it is recent (the matcher pushes changes every {@code
   * counts-interval} and a heartbeat every second), else asked of the matcher.
   */
  public CompletionStage<HiveCounts> counts() {
    HiveCounts latest = fresh();
    return latest != null
        ? CompletableFuture.completedFuture(latest)
        : ready(settings.askTimeout());
  }

  /** This node's copy of the counts, unless it is older than two heartbeats (null then). */
  private HiveCounts fresh() {
    HiveCounts latest = counts.get();
    return latest != null && latest.at().isAfter(Instant.now().minus(COUNTS_RESUBSCRIBE))
        ? latest
        : null;
  }
}
