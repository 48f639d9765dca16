package io.agenthive.agent;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.TimerScheduler;
import io.agenthive.routing.RoutingPolicy;
import io.agenthive.skill.Skill;
import io.agenthive.skill.SkillContext;
import io.agenthive.skill.SkillRegistry;
import io.agenthive.skill.SkillRequest;
import io.agenthive.skill.SkillResult;
import io.agenthive.task.Outcome;
import io.agenthive.task.RequiredCapability;
import io.agenthive.task.TaskEntity;
import io.agenthive.task.TaskResult;
import io.agenthive.task.TaskSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The agent's run in progress (at most one): its child actor, its timeout timer, and the skill
 * instance, created on first use. Not journaled: a run never outlives its agent's incarnation.
 */
final class AgentRuns {
  private record Current(String taskId, int attempt, TaskSpec spec, ActorRef<TaskRun.Command> child) {}

  /** An attempt that ended, with what the agent should journal about it. */
  record Ended(String taskId, int attempt, List<RequiredCapability> required, Outcome outcome,
      long tokens) {
    List<AgentEvent> events(Agent state, Instant now) {
      boolean success = outcome.succeeded();
      long ms = outcome.result() == null ? 0 : outcome.result().durationMs();
      List<AgentEvent> events = new ArrayList<>();
      events.add(new AgentEvent.TaskOutcomeRecorded(taskId, attempt, success, ms, tokens, now));
      for (Learning.Change c : Learning.changes(state.capabilities(), required, success)) {
        events.add(new AgentEvent.CapabilityProficiencyChanged(
            c.capability(), c.from(), c.to(), taskId, now));
      }
      return events;
    }
  }

  private final String agentId;
  private final ActorContext<AgentActor.Command> context;
  private final TimerScheduler<AgentActor.Command> timers;
  private final SkillRegistry skills;
  private Skill skill;
  private String startingTaskId;
  private Current current;
  private Instant lastBusyAt = Instant.EPOCH;

  AgentRuns(String agentId, ActorContext<AgentActor.Command> context,
      TimerScheduler<AgentActor.Command> timers, SkillRegistry skills) {
    this.agentId = agentId;
    this.context = context;
    this.timers = timers;
    this.skills = skills;
  }

  boolean busy() {
    return startingTaskId != null || current != null;
  }

  boolean isRunning(String taskId) {
    return taskId.equals(currentTaskId());
  }

  String currentTaskId() {
    return current != null ? current.taskId() : startingTaskId;
  }

  Instant lastBusyAt() {
    return lastBusyAt;
  }

  AgentState effectiveState(Agent state) {
    return busy() && state.state() == AgentState.IDLE ? AgentState.WORKING : state.state();
  }

  void starting(String taskId, Instant now) {
    startingTaskId = taskId;
    lastBusyAt = now;
  }

  /** Spawns the run. Creating the skill may throw: that is a fault of the agent, not the task. */
  void launch(Agent state, String taskId, TaskEntity.Run run) {
    double fitness = RoutingPolicy.fitness(state.proficiencies(), run.spec().requiredCapabilities());
    SkillRequest request = new SkillRequest(taskId, run.attempt(), run.spec().title(),
        run.spec().description(), run.spec().type(), run.spec().input(),
        run.spec().requiredCapabilities(), fitness,
        java.time.Instant.now().plusMillis(run.spec().timeoutMs()));
    ActorRef<TaskRun.Command> child = context.spawn(
        TaskRun.create(skill(state), request, run.spec().chunk(), context.getSelf()),
        "run-" + taskId + "-" + run.attempt());
    context.watch(child);
    timers.startSingleTimer(timerKey(taskId), new AgentActor.RunTimedOut(taskId, run.attempt()),
        Duration.ofMillis(run.spec().timeoutMs()));
    startingTaskId = null;
    current = new Current(taskId, run.attempt(), run.spec(), child);
  }

  Optional<Ended> finished(AgentActor.RunFinished msg) {
    if (!matches(msg.taskId(), msg.attempt())) {
      return Optional.empty();
    }
    SkillResult r = msg.result() != null ? msg.result() : SkillResult.failed("skill gave no result");
    TaskResult result = new TaskResult(r.success(), r.output(), r.error(), msg.durationMs(),
        r.qualityScore());
    Outcome.Kind kind = r.success() || r.retryable() ? Outcome.Kind.FINISHED
        : Outcome.Kind.FAILED_FINAL;
    return Optional.of(end(new Outcome(kind, result), r.tokens()));
  }

  Optional<Ended> timedOut(String taskId, int attempt) {
    if (!matches(taskId, attempt)) {
      return Optional.empty();
    }
    long ms = current.spec().timeoutMs();
    return Optional.of(end(Outcome.of(Outcome.Kind.TIMED_OUT, "timed out after " + ms + " ms", ms)));
  }

  Optional<Ended> crashed(ActorRef<Void> run, String error) {
    if (current == null || !current.child().equals(run)) {
      return Optional.empty();
    }
    return Optional.of(end(Outcome.of(Outcome.Kind.FINISHED, "skill crashed: " + error, 0)));
  }

  Optional<Outcome> cancel(String taskId) {
    if (!isRunning(taskId)) {
      return Optional.empty();
    }
    if (current != null) {
      end(null);
    }
    return Optional.of(Outcome.of(Outcome.Kind.CANCELLED, "cancelled", 0));
  }

  void clear() {
    startingTaskId = null;
    current = null;
  }

  private boolean matches(String taskId, int attempt) {
    return current != null && current.taskId().equals(taskId) && current.attempt() == attempt;
  }

  /** Stops the child and its timer; the run stays current until the agent reports it. */
  private Ended end(Outcome outcome) {
    return end(outcome, 0);
  }

  private Ended end(Outcome outcome, long tokens) {
    context.unwatch(current.child());
    context.stop(current.child());
    timers.cancel(timerKey(current.taskId()));
    return new Ended(current.taskId(), current.attempt(), current.spec().requiredCapabilities(),
        outcome, tokens);
  }

  private Skill skill(Agent state) {
    if (skill == null) {
      skill = skills.find(state.skill().name())
          .orElseThrow(() -> new IllegalStateException("skill '" + state.skill().name()
              + "' of agent " + agentId + " is not on the class path"))
          .create(new SkillContext(agentId, state.skill().config(), context.getSystem()));
    }
    return skill;
  }

  private static String timerKey(String taskId) {
    return "timeout-" + taskId;
  }
}
