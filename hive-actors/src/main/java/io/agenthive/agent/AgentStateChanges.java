package io.agenthive.agent;

import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.pattern.StatusReply;
import akka.persistence.typed.javadsl.Effect;
import akka.persistence.typed.javadsl.EffectFactories;
import io.agenthive.agent.AgentProtocol.*;
import io.agenthive.common.HiveMdc;
import io.agenthive.common.HiveSettings;
import io.agenthive.common.Refusal;
import io.agenthive.task.Outcome;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * How an agent's own state changes apart from its runs: a request to pause, resume, retire or
 * reconnect it ({@link ChangeState}), a crash recorded by the incarnation that followed it, and the
 * circuit that degrades it while its endpoint fails fast and recovers it after. Each change is
 * journaled and told the matcher. Apart from {@link AgentActor} so that file stays about running
 * tasks.
 */
final class AgentStateChanges {
  private final String agentId;
  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final HiveSettings settings;
  private final AgentActor.Links links;
  private final Clock clock;
  private final AgentRuns runs;
  private final AgentSettles settles;
  private final EffectFactories<AgentEvent, Agent> effects;

  AgentStateChanges(
      String agentId,
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      HiveSettings settings,
      AgentActor.Links links,
      Clock clock,
      AgentRuns runs,
      AgentSettles settles,
      EffectFactories<AgentEvent, Agent> effects) {
    this.agentId = agentId;
    this.context = context;
    this.timers = timers;
    this.settings = settings;
    this.links = links;
    this.clock = clock;
    this.runs = runs;
    this.settles = settles;
    this.effects = effects;
  }

  /**
   * A run ended and its skill's endpoint now fails fast (its circuit opened): the agent takes no
   * work for that long (journaled, so lists, the dashboard and time travel show it) rather than
   * burning the attempts of the tasks the matcher would hand it, then tries again.
   */
  Effect<AgentEvent, Agent> degradeIfFailingFast(Agent state) {
    if (state.state() != AgentState.IDLE) {
      return effects.none();
    }
    return runs.failingFastFor()
        .map(
            wait -> {
              timers.startSingleTimer(Recover.INSTANCE, Recover.INSTANCE, wait);
              return transition(state, AgentLifecycle.Transition.DEGRADE);
            })
        .orElseGet(() -> effects.none());
  }

  /** A change the agent makes on its own (degrade, recover), journaled and told the matcher. */
  Effect<AgentEvent, Agent> transition(Agent state, AgentLifecycle.Transition t) {
    AgentLifecycle.Decision d = AgentLifecycle.decide(state, t, clock.instant(), null);
    if (d.event() == null) {
      return effects.none();
    }
    return effects.persist(d.event()).thenRun(s -> links.matcher().changed(s, null));
  }

  Effect<AgentEvent, Agent> onRecordCrash(Agent state, RecordCrash cmd) {
    links.matcher().restarted(agentId);
    if (!state.registered()) {
      return effects.none();
    }
    Instant now = clock.instant();
    int crashes = state.crashesWithin(settings.crashWindow(), now) + 1;
    var crashed = new AgentEvent.AgentCrashed(cmd.reason(), crashes, now);
    if (crashes < settings.crashLimit() || state.state() == AgentState.FAILED) {
      return effects.persist(crashed);
    }
    HiveMdc.about(
        null,
        agentId,
        () ->
            context
                .getLog()
                .warn(
                    "Agent [{}] crashed {} times within {}: marking it failed",
                    agentId,
                    crashes,
                    settings.crashWindow()));
    var failed =
        new AgentEvent.AgentStateChanged(
            state.state(),
            AgentState.FAILED,
            "crashed " + crashes + " times within " + settings.crashWindow(),
            now,
            null);
    return effects.persist(List.of(crashed, failed)).thenRun(s -> links.matcher().changed(s, null));
  }

  Effect<AgentEvent, Agent> onChangeState(Agent state, ChangeState cmd) {
    if (!state.registered()) {
      cmd.replyTo()
          .tell(StatusReply.error(new Refusal.NotFound("agent " + agentId + " not found")));
      return effects.none();
    }
    if (cmd.transition() == AgentLifecycle.Transition.RECONNECT
        && cmd.by() != null
        && !cmd.admin()
        && state.registeredBy() != null
        && !state.registeredBy().equals(cmd.by())) {
      // a remote agent is its registrant's: another worker credential must not take it over
      cmd.replyTo()
          .tell(
              StatusReply.error(
                  new Refusal.Conflict(
                      "agent "
                          + agentId
                          + " was registered by another credential; only it or an admin may"
                          + " resume it")));
      return effects.none();
    }
    AgentLifecycle.Decision decision =
        AgentLifecycle.decide(state, cmd.transition(), clock.instant(), cmd.by());
    if (decision.refusal() != null) {
      cmd.replyTo().tell(StatusReply.error(new Refusal.Conflict(decision.refusal())));
      return effects.none();
    }
    if (decision.event() == null) {
      links.matcher().changed(state, cmd.replyTo());
      return effects.none();
    }
    return effects
        .persist(decision.event())
        .thenRun(
            s -> {
              if (s.state() == AgentState.RETIRED && !cmd.drain()) {
                // the runs, and the starts not answered yet: a task journaled as started here
                // whose answer is still on its way is given up too (its answer hands it back)
                for (String taskId : runs.taskIds()) {
                  runs.stop(taskId, Outcome.Kind.LOST, "agent retired without draining")
                      .ifPresent(
                          e -> {
                            links
                                .matcher()
                                .slotFreed(agentId, taskId, MatcherLink.SlotRelease.CANCELLED);
                            settles.settle(taskId, e.attempt(), e.outcome(), null);
                          });
                }
              }
              links.matcher().changed(s, cmd.replyTo());
            });
  }
}
