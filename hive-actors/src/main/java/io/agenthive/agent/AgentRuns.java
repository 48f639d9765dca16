package io.agenthive.agent;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.TimerScheduler;
import io.agenthive.metrics.HiveMetrics;
import io.agenthive.skill.Skill;
import io.agenthive.skill.SkillContext;
import io.agenthive.skill.SkillRegistry;
import io.agenthive.skill.SkillRequest;
import io.agenthive.skill.SkillResult;
import io.agenthive.task.AssignmentReason;
import io.agenthive.task.Outcome;
import io.agenthive.task.RequiredCapability;
import io.agenthive.task.TaskReplies;
import io.agenthive.task.TaskResult;
import io.agenthive.task.TaskSpec;
import io.agenthive.tracing.HiveTracing;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The agent's work in progress: tasks whose start it asked for, runs (each a child actor with a
 * timeout timer), and the skill, created on first use. Not journaled: a run never outlives its
 * agent's incarnation, and the matcher re-queues what a restart lost.
 */
final class AgentRuns {
  /** A task the matcher handed over; its start is asked of the task entity. */
  record Starting(AssignmentReason reason, Map<String, Double> proficiencies, boolean givenUp) {}

  private record Current(
      int attempt,
      TaskSpec spec,
      Map<String, Double> proficiencies,
      ActorRef<TaskRun.Command> child,
      String skillName) {}

  /** An attempt that ended: what happened and the proficiencies its learning starts from. */
  record Ended(
      String taskId,
      int attempt,
      List<RequiredCapability> required,
      Map<String, Double> proficiencies,
      Outcome outcome,
      long tokens) {

    /** Whether the attempt really ran here, so that it counts for the agent and teaches it. */
    boolean ranHere() {
      return switch (outcome.kind()) {
        case FINISHED, FAILED_FINAL, TIMED_OUT, AWAITING_SUBTASKS -> true;
        case CANCELLED, NOT_STARTED, LOST -> false;
      };
    }

    long durationMs() {
      return outcome.result() == null ? 0 : outcome.result().durationMs();
    }
  }

  private final String agentId;
  private final ActorContext<AgentProtocol.Command> context;
  private final TimerScheduler<AgentProtocol.Command> timers;
  private final SkillRegistry skills;
  private final HiveMetrics metrics;
  private final HiveTracing tracing;
  private final Map<String, Starting> starting = new LinkedHashMap<>();
  private final Map<String, Current> running = new LinkedHashMap<>();
  private Skill skill;
  // while this incarnation lives it hears when its skill starts failing fast
  private AutoCloseable failingFast = () -> {};
  private Instant lastBusyAt = Instant.EPOCH;

  AgentRuns(
      String agentId,
      ActorContext<AgentProtocol.Command> context,
      TimerScheduler<AgentProtocol.Command> timers,
      SkillRegistry skills) {
    this.agentId = agentId;
    this.context = context;
    this.timers = timers;
    this.skills = skills;
    this.metrics = HiveMetrics.get(context.getSystem());
    this.tracing = HiveTracing.get(context.getSystem());
  }

  /** Slots in use: tasks being started and tasks running. */
  int inUse() {
    return starting.size() + running.size();
  }

  boolean knows(String taskId) {
    return starting.containsKey(taskId) || running.containsKey(taskId);
  }

  /** Task ids started or running, oldest first. */
  List<String> taskIds() {
    List<String> ids = new ArrayList<>(running.keySet());
    ids.addAll(starting.keySet());
    return ids;
  }

  Instant lastBusyAt() {
    return lastBusyAt;
  }

  void starting(
      String taskId, AssignmentReason reason, Map<String, Double> proficiencies, Instant now) {
    starting.put(taskId, new Starting(reason, proficiencies, false));
    lastBusyAt = now;
  }

  /** What was asked of a task whose start is still awaited, or null. */
  Starting stillStarting(String taskId) {
    return starting.get(taskId);
  }

  /** The start was answered: what was asked, if the task is still wanted here. */
  Optional<Starting> startAnswered(String taskId) {
    return Optional.ofNullable(starting.remove(taskId));
  }

  /** Spawns the run. Creating the skill may throw: that is a fault of the agent, not the task. */
  void launch(Agent state, String taskId, TaskReplies.Run run, Starting asked) {
    double fitness = asked.reason() == null ? 0.5 : asked.reason().winnerScore();
    TaskSpec spec = run.spec();
    SkillRequest request =
        new SkillRequest(
            taskId,
            run.attempt(),
            spec.title(),
            spec.description(),
            spec.type(),
            spec.input(),
            spec.requirementsFor(run.attempt()),
            fitness,
            Instant.now().plusMillis(spec.timeoutMs()),
            run.dependencies(),
            run.run());
    // before the spawn: the run's skill call starts on the child's thread and needs this span
    tracing.runStarted(taskId, run.attempt(), agentId, state.skill().name());
    ActorRef<TaskRun.Command> child;
    try {
      child =
          context.spawn(
              TaskRun.create(skill(state), request, spec.chunk(), context.getSelf()),
              "run-" + taskId + "-" + run.attempt());
    } catch (RuntimeException e) {
      tracing.runEnded(taskId, "not_started", false); // the agent's supervision takes it from here
      throw e;
    }
    context.watch(child);
    timers.startSingleTimer(
        timerKey(taskId),
        new AgentProtocol.RunTimedOut(taskId, run.attempt()),
        Duration.ofMillis(spec.timeoutMs()));
    running.put(
        taskId,
        new Current(run.attempt(), spec, asked.proficiencies(), child, state.skill().name()));
  }

  Optional<Ended> finished(AgentProtocol.RunFinished msg) {
    Current c = running.get(msg.taskId());
    if (c == null || c.attempt() != msg.attempt()) {
      return Optional.empty();
    }
    SkillResult r =
        msg.result() != null ? msg.result() : SkillResult.failed("skill gave no result");
    TaskResult result =
        new TaskResult(
            r.success(),
            msg.stored() == null ? r.output() : null,
            r.error(),
            msg.durationMs(),
            r.qualityScore(),
            msg.stored());
    if (!r.awaiting().isEmpty()) {
      // the run gives its slot back here; the task waits for its subtasks without it
      return Optional.of(
          end(
              msg.taskId(),
              new Outcome(Outcome.Kind.AWAITING_SUBTASKS, result, r.awaiting()),
              r.tokens()));
    }
    Outcome.Kind kind =
        r.success() || r.retryable() ? Outcome.Kind.FINISHED : Outcome.Kind.FAILED_FINAL;
    return Optional.of(end(msg.taskId(), new Outcome(kind, result), r.tokens()));
  }

  Optional<Ended> timedOut(String taskId, int attempt) {
    Current c = running.get(taskId);
    if (c == null || c.attempt() != attempt) {
      return Optional.empty();
    }
    long ms = c.spec().timeoutMs();
    return Optional.of(
        end(taskId, Outcome.of(Outcome.Kind.TIMED_OUT, "timed out after " + ms + " ms", ms), 0));
  }

  Optional<Ended> crashed(ActorRef<Void> child, String error) {
    for (Map.Entry<String, Current> e : running.entrySet()) {
      if (e.getValue().child().equals(child)) {
        return Optional.of(
            end(e.getKey(), Outcome.of(Outcome.Kind.FINISHED, "skill crashed: " + error, 0), 0));
      }
    }
    return Optional.empty();
  }

  /**
   * Stops {@code taskId}'s run (its outcome is {@code kind}), or gives up its start: the start's
   * answer then hands the task back. Empty when nothing of it is here.
   */
  Optional<Ended> stop(String taskId, Outcome.Kind kind, String why) {
    Starting s = starting.get(taskId);
    if (s != null) {
      starting.put(taskId, new Starting(s.reason(), s.proficiencies(), true));
      return Optional.empty();
    }
    if (!running.containsKey(taskId)) {
      return Optional.empty();
    }
    return Optional.of(end(taskId, Outcome.of(kind, why, 0), 0));
  }

  /** Stops the child and its timer and forgets the run. */
  private Ended end(String taskId, Outcome outcome, long tokens) {
    Current c = running.remove(taskId);
    context.unwatch(c.child());
    context.stop(c.child());
    timers.cancel(timerKey(taskId));
    count(taskId, c, outcome);
    return new Ended(
        taskId,
        c.attempt(),
        c.spec().requirementsFor(c.attempt()),
        c.proficiencies(),
        outcome,
        tokens);
  }

  /** The attempt's outcome in the node's metrics; a cancelled or lost one ran nowhere. */
  private void count(String taskId, Current c, Outcome outcome) {
    boolean ok =
        outcome.kind() == Outcome.Kind.FINISHED
            && outcome.result() != null
            && outcome.result().success();
    tracing.runEnded(taskId, outcome.kind().name().toLowerCase(Locale.ROOT), ok);
    String priority = c.spec().priority().label();
    double seconds = outcome.result() == null ? 0 : outcome.result().durationMs() / 1000.0;
    switch (outcome.kind()) {
      case FINISHED -> {
        if (outcome.result() != null && outcome.result().success()) {
          metrics.completed(priority, c.spec().type(), c.skillName(), seconds);
        } else {
          metrics.failed(priority, c.spec().type(), c.skillName(), "error", seconds);
        }
      }
      case FAILED_FINAL ->
          metrics.failed(priority, c.spec().type(), c.skillName(), "error", seconds);
      case TIMED_OUT ->
          metrics.failed(priority, c.spec().type(), c.skillName(), "timeout", seconds);
      case CANCELLED, NOT_STARTED, LOST, AWAITING_SUBTASKS -> {}
    }
  }

  /** Stops listening to its skill's circuit: the incarnation is stopping. */
  void close() {
    try {
      failingFast.close();
    } catch (Exception e) {
      throw new IllegalStateException("the skill's listener could not be removed", e);
    }
  }

  /** How long its skill fails fast (its endpoint's circuit is open); empty while it works. */
  Optional<Duration> failingFastFor() {
    return skill == null ? Optional.empty() : skill.failingFastFor();
  }

  private Skill skill(Agent state) {
    if (skill == null) {
      skill =
          skills
              .find(state.skill().name())
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "skill '"
                              + state.skill().name()
                              + "' of agent "
                              + agentId
                              + " is not on the class path"))
              .create(new SkillContext(agentId, state.skill().config(), context.getSystem()));
      ActorRef<AgentProtocol.Command> self = context.getSelf();
      failingFast = skill.whenFailingFast(() -> self.tell(AgentProtocol.CircuitOpened.INSTANCE));
    }
    return skill;
  }

  private static String timerKey(String taskId) {
    return "timeout-" + taskId;
  }
}
