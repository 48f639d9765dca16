package io.agenthive.matcher;

import static io.agenthive.matcher.MatchingTest.NOW;
import static io.agenthive.matcher.MatchingTest.agent;
import static io.agenthive.matcher.MatchingTest.dispatches;
import static io.agenthive.matcher.MatchingTest.task;
import static org.junit.jupiter.api.Assertions.*;

import io.agenthive.agent.Capability;
import io.agenthive.agent.MatcherLink.SlotRelease;
import io.agenthive.task.AgentOutcome;
import io.agenthive.task.LearningChange;
import io.agenthive.task.Priority;
import io.agenthive.task.RequiredCapability;
import io.agenthive.task.TaskQueue;
import io.agenthive.task.TaskStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An agent says its run ended before the task's outcome (with what the run taught it) reaches the
 * matcher: its slot stays taken until the outcome comes, so the next decision scores it on what it
 * knows now, as the journal holds it.
 */
class EndedRunsMatchingTest {
  static final RequiredCapability X = new RequiredCapability("x", 0.1);

  @Test
  void anAgentWhoseRunEndedIsChosenOnWhatTheRunTaughtIt() {
    Matching m = new Matching(MatchingTest.AGING, 5, 100);
    m.joined(agent("learner", 1, new Capability("x", 0.50, 0.5)));
    m.joined(agent("steady", 1, new Capability("x", 0.52, 0.0)));
    m.admit(task("first", Priority.HIGH, NOW, X), NOW);
    assertEquals("steady", dispatches(m).get(0).agentId());
    m.admit(task("second", Priority.HIGH, NOW, X), NOW);
    assertEquals("learner", dispatches(m).get(0).agentId());

    // steady learns nothing (rate 0): its slot is free as soon as its run ends
    m.slotFreed("steady", "first", SlotRelease.RAN, NOW);
    m.admit(task("third", Priority.HIGH, NOW, X), NOW);
    assertEquals("steady", dispatches(m).get(0).agentId());

    // the learner's slot waits for the outcome that carries what the run taught it
    m.slotFreed("learner", "second", SlotRelease.RAN, NOW);
    m.admit(task("fourth", Priority.HIGH, NOW, X), NOW);
    assertTrue(dispatches(m).isEmpty(), "the learner's slot is not free before its outcome");
    m.changed(ended("second", "learner", List.of(new LearningChange("x", 0.50, 0.55))), NOW);
    List<Matching.Dispatch> fourth = dispatches(m);
    assertEquals("learner", fourth.get(0).agentId());
    assertEquals(0.55, fourth.get(0).reason().winnerScore(), 1e-12, "scored on what it learned");
  }

  @Test
  void anOutcomeThatNeverComesFreesTheSlotAfterAWhile() {
    Matching m = new Matching(MatchingTest.AGING, 5, 100);
    m.joined(agent("a1", 1, new Capability("x", 0.5, 0.1)));
    m.admit(task("t1", Priority.HIGH, NOW, X), NOW);
    m.admit(task("t2", Priority.HIGH, NOW, X), NOW);
    assertEquals(1, dispatches(m).size());
    m.slotFreed("a1", "t1", SlotRelease.RAN, NOW);
    assertFalse(m.freeOverdueSlots(NOW.plus(EndedRuns.WAIT)), "not before the wait is over");
    assertTrue(dispatches(m).isEmpty());
    assertTrue(m.freeOverdueSlots(NOW.plus(EndedRuns.WAIT).plusMillis(1)));
    assertEquals(List.of("t2"), dispatches(m).stream().map(Matching.Dispatch::taskId).toList());
  }

  private static TaskQueue.TaskChange ended(
      String taskId, String agentId, List<LearningChange> learned) {
    return new TaskQueue.TaskChange(
        taskId,
        TaskStatus.RUNNING,
        TaskStatus.COMPLETED,
        null,
        null,
        null,
        new AgentOutcome(agentId, 10, 0, learned),
        NOW);
  }
}
