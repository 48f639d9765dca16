package io.agenthive.matcher;

import static io.agenthive.matcher.MatchingTest.NOW;
import static io.agenthive.matcher.MatchingTest.agent;
import static io.agenthive.matcher.MatchingTest.dispatches;
import static io.agenthive.matcher.MatchingTest.task;
import static org.junit.jupiter.api.Assertions.*;

import io.agenthive.agent.MatcherLink.SlotRelease;
import io.agenthive.task.Priority;
import io.agenthive.task.TaskQueue;
import io.agenthive.task.TaskStatus;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A hand-over nothing confirms is asked about, and one the agent never got is settled as lost. */
class HandOversMatchingTest {
  static final Instant SOON = NOW.plusSeconds(1);
  static final Instant LATE = NOW.plus(HandOvers.CONFIRM_WITHIN).plusMillis(1);

  static Matching handedOut(String... agents) {
    Matching m = new Matching(MatchingTest.AGING, 5, 100);
    for (String a : agents) {
      m.joined(agent(a, 1));
    }
    m.admit(task("t", Priority.HIGH, NOW), NOW);
    assertEquals(1, dispatches(m).size());
    return m;
  }

  @Test
  void aHandOverTheAgentNeverGotIsAskedAboutAndSettledAsLost() {
    Matching m = handedOut("a1");
    assertFalse(m.lostRuns().askUnconfirmed(SOON), "a start has its time");
    assertTrue(m.drain().isEmpty());
    assertTrue(m.lostRuns().askUnconfirmed(LATE));
    assertEquals(List.of(new Matching.ConfirmRuns("a1", Set.of("t"))), m.drain());
    assertEquals(List.of("t"), m.lostRuns().runsConfirmed("a1", Set.of("t"), Set.of(), null));
    assertEquals(
        List.of(new Matching.SettleLost("t", "a1", "agent a1" + LostRuns.NOT_HELD)), m.drain());
    assertTrue(m.lostRuns().awaitingVerdict("t"));
    assertFalse(m.lostRuns().askUnconfirmed(LATE.plusSeconds(1)), "asked once, answered");
  }

  @Test
  void aStartTheMatcherHeardOfConfirmsTheHandOver() {
    Matching m = handedOut("a1");
    m.changed(
        new TaskQueue.TaskChange(
            "t", TaskStatus.PENDING, TaskStatus.RUNNING, null, null, "a1", null, SOON),
        SOON);
    m.drain();
    assertFalse(m.lostRuns().askUnconfirmed(LATE));
    assertTrue(m.drain().isEmpty());
  }

  @Test
  void aReportThatTheAgentHoldsTheTaskConfirmsIt() {
    Matching m = handedOut("a1");
    m.held("a1", Set.of("t"), SOON);
    assertFalse(m.lostRuns().askUnconfirmed(LATE));
  }

  @Test
  void anAgentThatSaysItHoldsTheTaskIsNotAskedAgain() {
    Matching m = handedOut("a1");
    assertTrue(m.lostRuns().askUnconfirmed(LATE));
    m.drain();
    m.lostRuns().runsConfirmed("a1", Set.of("t"), Set.of("t"), null);
    assertTrue(m.drain().isEmpty(), "still out: its lease covers it from here");
    assertFalse(m.lostRuns().askUnconfirmed(LATE.plusSeconds(5)));
    assertEquals(1, m.counts(LATE).inFlight());
  }

  @Test
  void aHandOverThatNoLongerStandsIsForgotten() {
    Matching m = handedOut("a1");
    m.slotFreed("a1", "t", SlotRelease.DECLINED, SOON); // back in the queue, no agent free for it
    assertFalse(m.lostRuns().askUnconfirmed(LATE));
    assertTrue(m.drain().isEmpty());
    assertEquals(1, m.counts(LATE).pending());
  }

  @Test
  void aWordFromAnotherAgentAboutTheTaskChangesNothing() {
    Matching m = handedOut("a1", "a2");
    String holder = m.agent("a1").running().contains("t") ? "a1" : "a2";
    String other = holder.equals("a1") ? "a2" : "a1";
    m.slotFreed(other, "t", SlotRelease.REFUSED, SOON);
    m.slotFreed(other, "t", SlotRelease.DECLINED, SOON);
    assertEquals(1, m.counts(SOON).inFlight(), "still out with " + holder);
    assertEquals(0, m.counts(SOON).pending());
    assertTrue(m.lostRuns().askUnconfirmed(LATE));
    assertEquals(List.of(new Matching.ConfirmRuns(holder, Set.of("t"))), m.drain());
  }

  @Test
  void aQuestionsDeadlineDoesNotSettleATaskStartedSince() {
    Matching m = handedOut("a1");
    assertTrue(m.lostRuns().askUnconfirmed(LATE));
    m.drain();
    Instant started = LATE.plusSeconds(1); // the start was slow, not lost
    m.changed(
        new TaskQueue.TaskChange(
            "t", TaskStatus.PENDING, TaskStatus.RUNNING, null, null, "a1", null, started),
        started);
    m.drain();
    assertEquals(List.of(), m.lostRuns().runsConfirmed("a1", Set.of("t"), Set.of(), LATE));
    assertTrue(m.drain().isEmpty());
    assertEquals(1, m.counts(started).inFlight());
  }

  @Test
  void aQuestionsDeadlineSettlesATaskNothingWasHeardOf() {
    Matching m = handedOut("a1");
    assertTrue(m.lostRuns().askUnconfirmed(LATE));
    m.drain();
    assertEquals(List.of("t"), m.lostRuns().runsConfirmed("a1", Set.of("t"), Set.of(), LATE));
  }
}
