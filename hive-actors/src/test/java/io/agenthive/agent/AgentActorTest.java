package io.agenthive.agent;

import static org.junit.jupiter.api.Assertions.*;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import com.typesafe.config.ConfigFactory;
import io.agenthive.common.HiveSettings;
import io.agenthive.skill.SkillRef;
import io.agenthive.skill.SkillRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One agent on its own: what it journals (registration, state changes — never anything per task)
 * and what it tells the matcher, and recovery.
 */
class AgentActorTest {
  static final ActorTestKit kit =
      ActorTestKit.create(
          EventSourcedBehaviorTestKit.config()
              .withFallback(ConfigFactory.load("application-test")));
  static final HiveSettings settings = HiveSettings.from(kit.system().settings().config());

  /** The matcher as the agent sees it: answers with the agent's view and notes the rest. */
  static final class Matcher implements MatcherLink {
    final List<String> told = new CopyOnWriteArrayList<>();

    @Override
    public void joined(Agent agent, ActorRef<StatusReply<AgentView>> replyTo) {
      told.add("joined " + agent.state().label());
      replyTo.tell(StatusReply.success(AgentView.settled(agent)));
    }

    @Override
    public void changed(Agent agent, ActorRef<StatusReply<AgentView>> replyTo) {
      told.add("changed " + agent.state().label());
      if (replyTo != null) {
        replyTo.tell(StatusReply.success(AgentView.settled(agent)));
      }
    }

    @Override
    public void slotFreed(String agentId, String taskId, SlotRelease how) {
      told.add("slot " + taskId + " " + how);
    }

    @Override
    public void restarted(String agentId) {
      told.add("restarted");
    }

    @Override
    public void runsConfirmed(String agentId, long question, Set<String> running) {
      told.add("confirmed " + running);
    }

    /** Reports of what the agent holds, apart: they come on a timer, not in answer to a step. */
    final List<Set<String>> held = new CopyOnWriteArrayList<>();

    @Override
    public void runsHeld(String agentId, Set<String> taskIds) {
      held.add(taskIds);
    }
  }

  final Matcher matcher = new Matcher();
  EventSourcedBehaviorTestKit<AgentProtocol.Command, AgentEvent, Agent> agent;

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  @BeforeEach
  void create() {
    agent =
        EventSourcedBehaviorTestKit.create(
            kit.system(),
            AgentActor.create(
                "a-1",
                settings,
                new AgentActor.Links(matcher, SkillRegistry.load(), null),
                Clock.systemUTC()));
  }

  void registered() {
    var r =
        agent.<StatusReply<AgentView>>runCommand(
            replyTo ->
                new AgentProtocol.Register(
                    new AgentSpec(
                        "coder",
                        "worker",
                        List.of(new Capability("code", 0.6, 0.1)),
                        SkillRef.named("noop"),
                        2),
                    replyTo));
    assertTrue(r.reply().isSuccess());
  }

  @Test
  void registrationIsJournaledOnceAndAnsweredByTheMatcher() {
    var r =
        agent.<StatusReply<AgentView>>runCommand(
            replyTo ->
                new AgentProtocol.Register(
                    new AgentSpec(
                        "coder",
                        "worker",
                        List.of(new Capability("code", 0.6, 0.1)),
                        SkillRef.named("noop"),
                        2),
                    replyTo));
    AgentEvent.AgentRegistered e = r.eventOfType(AgentEvent.AgentRegistered.class);
    assertEquals(2, e.spec().concurrency());
    assertEquals(2, r.state().maxConcurrency());
    assertEquals(List.of("joined idle"), matcher.told);
    var again =
        agent.<StatusReply<AgentView>>runCommand(
            replyTo -> new AgentProtocol.Register(e.spec(), replyTo));
    assertTrue(again.hasNoEvents());
    assertInstanceOf(io.agenthive.common.Refusal.Conflict.class, again.reply().getError());
  }

  @Test
  void pauseAndResumeAreJournaledAndAPausedAgentDeclinesWorkWithoutJournaling() {
    registered();
    var paused =
        agent.<StatusReply<AgentView>>runCommand(
            r -> new AgentProtocol.ChangeState(AgentLifecycle.Transition.PAUSE, true, r));
    assertEquals(AgentState.PAUSED, paused.eventOfType(AgentEvent.AgentStateChanged.class).to());
    var twice =
        agent.<StatusReply<AgentView>>runCommand(
            r -> new AgentProtocol.ChangeState(AgentLifecycle.Transition.PAUSE, true, r));
    assertTrue(twice.hasNoEvents(), "already paused: nothing to journal");

    var execute = agent.runCommand(new AgentProtocol.Execute("t-1", null, Map.of()));
    assertTrue(execute.hasNoEvents());
    assertTrue(matcher.told.contains("slot t-1 DECLINED"), matcher.told.toString());

    var resumed =
        agent.<StatusReply<AgentView>>runCommand(
            r -> new AgentProtocol.ChangeState(AgentLifecycle.Transition.RESUME, true, r));
    assertEquals(AgentState.IDLE, resumed.state().state());
  }

  @Test
  void anAgentRunningNothingConfirmsNothing() {
    registered();
    agent.runCommand(new AgentProtocol.ConfirmRuns(Set.of("t-9")));
    assertTrue(matcher.told.contains("confirmed []"), matcher.told.toString());
  }

  @Test
  void anAgentAnswersTheRollCall() {
    registered();
    var matcherSide = kit.<AgentProtocol.Present>createTestProbe();
    var answered = agent.runCommand(new AgentProtocol.RollCall(matcherSide.getRef()));
    assertTrue(answered.hasNoEvents(), "an answer journals nothing");
    matcherSide.expectMessage(new AgentProtocol.Present("a-1"));
  }

  @Test
  void recoveryRebuildsTheAgentFromItsEvents() {
    registered();
    agent.<StatusReply<AgentView>>runCommand(
        r -> new AgentProtocol.ChangeState(AgentLifecycle.Transition.PAUSE, true, r));
    Agent before = agent.getState();
    agent.restart();
    assertEquals(before, agent.getState());
    assertEquals(AgentState.PAUSED, agent.getState().state());
  }
}
