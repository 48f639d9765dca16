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
  void withNoAgentThatAnsweredFreeTheTaskStillGoesToTheBest() {
    Matching m = hive();
    m.openRollCall(RECENT, NOW);
    m.admit(task("t1", Priority.HIGH, NOW, X), NOW);
    List<Matching.Dispatch> d = dispatches(m);
    assertEquals(1, d.size(), "a task never waits for an answer");
    assertEquals("strong", d.get(0).agentId());
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
    m.admit(task("t1", Priority.HIGH, later, X), later);
    assertEquals("strong", dispatchesAt(m, later).get(0).agentId());
  }
}
