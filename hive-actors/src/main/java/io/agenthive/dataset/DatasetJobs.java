package io.agenthive.dataset;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.ChildFailed;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.RecoveryCompleted;
import akka.persistence.typed.javadsl.CommandHandler;
import akka.persistence.typed.javadsl.Effect;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehavior;
import akka.persistence.typed.javadsl.RetentionCriteria;
import akka.persistence.typed.javadsl.SignalHandler;
import io.agenthive.common.CborSerializable;
import io.agenthive.common.HiveSettings;
import io.agenthive.common.LocalOnly;
import io.agenthive.common.Singletons;
import io.agenthive.task.DatasetRunner;
import io.agenthive.task.TaskSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Which dataset tasks have a job running, durably: a cluster singleton that owns one {@link
 * DatasetJob} child per running dataset task and, after a crash or a move to another node, starts
 * them all again (each resumes from its task's last checkpoint). A job that keeps failing is
 * restarted with backoff a few times; then its task fails with the reason.
 */
public final class DatasetJobs
    extends EventSourcedBehavior<DatasetJobs.Command, DatasetJobs.Event, DatasetJobs.State> {

  public static final String NAME = "dataset-jobs";
  private static final int MAX_RESTARTS = 5;

  public sealed interface Command extends CborSerializable permits Start, Stop, Ended {}

  /** Starts (or, if running, keeps) the job of {@code taskId}; answered once journaled. */
  public record Start(String taskId, TaskSpec spec, ActorRef<Done> replyTo) implements Command {}

  /** The task was cancelled: stop its job. */
  public record Stop(String taskId) implements Command {}

  /** The job finished its task (completed or failed it) and stopped. */
  record Ended(String taskId) implements Command, LocalOnly {}

  public sealed interface Event extends CborSerializable permits JobStarted, JobEnded {}

  public record JobStarted(String taskId, TaskSpec spec, Instant at) implements Event {}

  public record JobEnded(String taskId, Instant at) implements Event {}

  /** The running jobs' tasks and specs. */
  public record State(Map<String, TaskSpec> active) implements CborSerializable {
    State apply(Event event) {
      Map<String, TaskSpec> next = new HashMap<>(active);
      if (event instanceof JobStarted e) {
        next.put(e.taskId(), e.spec());
      } else if (event instanceof JobEnded e) {
        next.remove(e.taskId());
      }
      return new State(next);
    }
  }

  /** How task entities start and stop jobs: messages to this singleton. */
  public static DatasetRunner runner(
      ActorRef<Command> jobs, ActorSystem<?> system, Duration timeout) {
    return new DatasetRunner() {
      @Override
      public CompletionStage<Done> start(String taskId, TaskSpec spec) {
        return AskPattern.ask(
            jobs, replyTo -> new Start(taskId, spec, replyTo), timeout, system.scheduler());
      }

      @Override
      public void stop(String taskId) {
        jobs.tell(new Stop(taskId));
      }
    };
  }

  private final ActorContext<Command> context;
  private final HiveSettings hiveSettings;
  // its journal tags, the same for each of its events
  private final Set<String> tags;
  private final DatasetSettings settings;
  private final Clock clock;
  private final Map<String, ActorRef<DatasetJob.Command>> children = new HashMap<>();
  private long spawned;

  /** Starts the dataset jobs singleton; jobs that had not ended resume from the journal. */
  public static ActorRef<Command> init(ActorSystem<?> system, HiveSettings settings, Clock clock) {
    return Singletons.init(
        system, settings, NAME, create(settings, Datasets.get(system).settings(), clock));
  }

  public static Behavior<Command> create(
      HiveSettings hiveSettings, DatasetSettings settings, Clock clock) {
    return Behaviors.setup(ctx -> new DatasetJobs(ctx, hiveSettings, settings, clock));
  }

  private DatasetJobs(
      ActorContext<Command> context,
      HiveSettings hiveSettings,
      DatasetSettings settings,
      Clock clock) {
    super(PersistenceId.ofUniqueId("DatasetJobs|hive"), hiveSettings.journalFailureBackoff());
    this.context = context;
    this.hiveSettings = hiveSettings;
    this.tags = hiveSettings.tagsFor(persistenceId().id());
    this.settings = settings;
    this.clock = clock;
  }

  @Override
  public State emptyState() {
    return new State(Map.of());
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return tags;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(hiveSettings.snapshotEvery(), 2);
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(
            RecoveryCompleted.instance(),
            state -> {
              if (!state.active().isEmpty()) {
                context.getLog().info("Resuming {} dataset job(s)", state.active().size());
              }
              state.active().forEach(this::spawn);
            })
        .onSignal(
            ChildFailed.class,
            (state, signal) -> jobGone(state, signal.getRef(), signal.getCause().toString()))
        .onSignal(Terminated.class, (state, signal) -> jobGone(state, signal.getRef(), null))
        .build();
  }

  @Override
  public CommandHandler<Command, Event, State> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(
            Start.class,
            (state, cmd) -> {
              if (state.active().containsKey(cmd.taskId()) && children.containsKey(cmd.taskId())) {
                cmd.replyTo().tell(Done.getInstance());
                return Effect().none();
              }
              return Effect()
                  .persist(new JobStarted(cmd.taskId(), cmd.spec(), clock.instant()))
                  .thenRun(
                      s -> {
                        spawn(cmd.taskId(), cmd.spec());
                        cmd.replyTo().tell(Done.getInstance());
                      });
            })
        .onCommand(
            Stop.class,
            (state, cmd) -> {
              ActorRef<DatasetJob.Command> child = children.remove(cmd.taskId());
              if (child != null) {
                context.unwatch(child);
                child.tell(DatasetJob.Cancel.INSTANCE);
              }
              return ended(state, cmd.taskId());
            })
        .onCommand(
            Ended.class,
            (state, cmd) -> {
              ActorRef<DatasetJob.Command> child = children.remove(cmd.taskId());
              if (child != null) {
                context.unwatch(child);
              }
              return ended(state, cmd.taskId());
            })
        .build();
  }

  private Effect<Event, State> ended(State state, String taskId) {
    return state.active().containsKey(taskId)
        ? Effect().persist(new JobEnded(taskId, clock.instant()))
        : Effect().none();
  }

  private void spawn(String taskId, TaskSpec spec) {
    Behavior<DatasetJob.Command> job =
        Behaviors.supervise(
                DatasetJob.create(taskId, spec, context.getSelf(), hiveSettings, settings))
            .onFailure(hiveSettings.restartBackoff().withMaxRestarts(MAX_RESTARTS));
    // numbered: a job started again (a retried task) may overlap its predecessor's stopping
    ActorRef<DatasetJob.Command> child = context.spawn(job, "job-" + taskId + "-" + (++spawned));
    context.watch(child);
    children.put(taskId, child);
  }

  /** A job stopped without saying it ended: it failed past its restarts. Its task fails. */
  private void jobGone(State state, ActorRef<Void> ref, String cause) {
    children.entrySet().stream()
        .filter(e -> e.getValue().equals(ref))
        .map(Map.Entry::getKey)
        .findFirst()
        .ifPresent(
            taskId -> {
              children.remove(taskId);
              String why =
                  "dataset job failed "
                      + (MAX_RESTARTS + 1)
                      + " times"
                      + (cause == null ? "" : ": " + cause);
              context.getLog().warn("Task [{}]: {}", taskId, why);
              DatasetJob.failTask(context.getSystem(), taskId, why, hiveSettings.askTimeout());
              context.getSelf().tell(new Ended(taskId));
            });
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
  }
}
