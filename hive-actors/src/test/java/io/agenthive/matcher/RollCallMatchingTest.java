package io.agenthive.matcher;

import static io.agenthive.matcher.MatchingTest.NOW;
import static io.agenthive.matcher.MatchingTest.agent;
import static io.agenthive.matcher.MatchingTest.dispatches;
import static io.agenthive.matcher.MatchingTest.task;
import static org.junit.jupiter.api.Assertions.*;

import io.agenthive.agent.AgentState;
import io.agenthive.agent.Capability;
import io.agenthive.task.AssignmentReason;
import io.agenthive.task.Priority;
import io.agenthive.task.RequiredCapability;
import io.agenthive.task.TaskQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * After the matcher starts in a cluster or a node leaves, agents that answered the roll call are
 * preferred: one on the lost node would take the task only once its shard has moved.
 */
class RollCallMatchingTest {
  static final RequiredCapability X = new RequiredCapability("x", 0.1);
  // how long an idle agent stays in memory
  static final Duration RECENT = Duration.ofSeconds(30);

  static Matching hive() {
    Matching m = new Matching(MatchingTest.AGING, 5, 100);
    m.joined(agent("strong", 1, new Capability("x", 0.9, 0.1)));
    m.joined(agent("weak", 1, new Capability("x", 0.4, 0.1)));
    return m;
  }

  static List<Matching.Dispatch> dispatchesAt(Matching m, Instant at) {
    m.dispatch(at);
    return m.drain().stream().map(a -> (Matching.Dispatch) a).toList();
  }

  @Test
  void anAgentThatAnsweredIsPreferredToABetterOneThatHasNot() {
    Matching m = hive();
    assertEquals(Set.of("strong", "weak"), Set.copyOf(m.openRollCall(RECENT, NOW)));
    m.rollCall().heard("weak");
    m.admit(task("t1", Priority.HIGH, NOW, X), NOW);
    List<Matching.Dispatch> first = dispatches(m);
    assertEquals("weak", first.get(0).agentId());
    assertEquals(
        List.of(new AssignmentReason.Skipped("strong", AssignmentReason.NOT_HEARD_FROM)),
        first.get(0).reason().skipped(),
        "the assignment says why the better agent was passed by");
    assertEquals(2, first.get(0).reason().qualified());

    m.rollCall().heard("strong");
    m.admit(task("t2", Priority.HIGH, NOW, X), NOW);
    List<Matching.Dispatch> second = dispatches(m);
    assertEquals("strong", second.get(0).agentId(), "once it answered it is chosen again");
    assertEquals(List.of(), second.get(0).reason().skipped());
  }

  @Test
  void aTaskWaitsForTheFirstAnswersOnlyDuringTheGrace() {
    Matching m = hive();
    m.openRollCall(RECENT, NOW);
    m.admit(task("t1", Priority.HIGH, NOW, X), NOW);
    assertEquals(List.of(), dispatches(m), "none has answered yet: the answers are awaited");
    Instant afterGrace = NOW.plus(AgentRollCall.GRACE);
    List<Matching.Dispatch> d = dispatchesAt(m, afterGrace);
    assertEquals(1, d.size(), "then a task never waits for an answer");
    assertEquals("strong", d.get(0).agentId());
  }

  @Test
  void aTaskHeldDuringTheGraceGoesAsSoonAsAQualifyingAgentAnswers() {
    Matching m = hive();
    m.openRollCall(RECENT, NOW);
    m.admit(task("t1", Priority.HIGH, NOW, X), NOW);
    assertEquals(List.of(), dispatches(m));
    m.rollCall().heard("weak");
    List<Matching.Dispatch> d = dispatchesAt(m, NOW.plusMillis(10));
    assertEquals("weak", d.get(0).agentId());
  }

  @Test
  void theCallClosesAfterItsWindow() {
    Matching m = hive();
    m.openRollCall(RECENT, NOW);
    m.rollCall().heard("weak");
    Instant later = NOW.plus(AgentRollCall.WINDOW);
    m.admit(task("t1", Priority.HIGH, later, X), later);
    assertEquals("strong", dispatchesAt(m, later).get(0).agentId());
  }

  @Test
  void aNewCallAsksAgainAndRetiredAgentsAreNotCalled() {
    Matching m = hive();
    m.openRollCall(RECENT, NOW);
    m.rollCall().heard("strong");
    m.changedAgent(
        agent("weak", 1, new Capability("x", 0.4, 0.1)).withState(AgentState.RETIRED, NOW));
    assertEquals(
        List.of("strong"), m.openRollCall(RECENT, NOW), "a node left: the roll is called again");
    assertTrue(m.rollCall().waitsFor("strong", NOW));
  }

  @Test
  void agentsIdleLongerThanTheyStayInMemoryAreNotCalledNorPassedBy() {
    Matching m = hive(); // both last active at NOW
    Instant later = NOW.plus(RECENT).plusSeconds(1);
    assertEquals(List.of(), m.openRollCall(RECENT, later), "waking them would cost recoveries");
    m.rollCall().heard("weak"); // had strong been called, weak would now be preferred
    m.admit(task("t1", Priority.HIGH, later, X), later);
    assertEquals("strong", dispatchesAt(m, later).get(0).agentId());
  }

  @Test
  void aRetryIsNotSentBackToTheAgentThatFailedItBecauseTheOtherHasNotAnswered() {
    Matching m = hive();
    TaskQueue.QueuedTask t = task("t", Priority.HIGH, NOW, X);
    m.admit(t, NOW);
    assertEquals("strong", RetryMatchingTest.runAndFail(m, t, t));
    m.openRollCall(RECENT, NOW); // neither has answered
    List<Matching.Dispatch> retry = dispatchesAt(m, NOW.plus(AgentRollCall.GRACE));
    assertEquals("weak", retry.get(0).agentId(), "the call never undoes the task's own avoidance");
    assertEquals(
        List.of(new AssignmentReason.Skipped("strong", AssignmentReason.FAILED_BEFORE)),
        retry.get(0).reason().skipped());
  }

  @Test
  void afterPassingByAsManyAsAReasonNamesTheBestIsChosen() {
    Matching m = new Matching(MatchingTest.AGING, 5, 100);
    int passed = AgentRollCall.MAX_PASSED;
    for (int i = 0; i <= passed + 1; i++) {
      m.joined(agent("a" + i, 1, new Capability("x", 0.9 - i * 0.01, 0.1)));
    }
    m.openRollCall(RECENT, NOW);
    m.rollCall().heard("a" + (passed + 1)); // answered, but below the best few
    Instant afterGrace = NOW.plus(AgentRollCall.GRACE);
    m.admit(task("t1", Priority.HIGH, afterGrace, X), afterGrace);
    assertEquals(
        "a0", dispatchesAt(m, afterGrace).get(0).agentId(), "a bounded search, then the best");

    // a0 runs t1 now: a1 is the best free agent, and a5 the fourth after it
    m.rollCall().heard("a" + passed);
    m.admit(task("t2", Priority.HIGH, afterGrace, X), afterGrace);
    List<Matching.Dispatch> d = dispatchesAt(m, afterGrace);
    assertEquals("a" + passed, d.get(0).agentId(), "an agent that answered, among the next few");
    assertEquals(
        List.of("a1", "a2", "a3", "a4"),
        d.get(0).reason().skipped().stream().map(AssignmentReason.Skipped::agentId).toList());
  }
}
