package io.agenthive.matcher;

import static io.agenthive.matcher.MatchingTest.AGING;
import static io.agenthive.matcher.MatchingTest.NOW;
import static io.agenthive.matcher.MatchingTest.agent;
import static io.agenthive.matcher.MatchingTest.dispatches;
import static io.agenthive.matcher.MatchingTest.task;
import static org.junit.jupiter.api.Assertions.*;

import io.agenthive.agent.Agent;
import io.agenthive.agent.AgentState;
import io.agenthive.agent.Capability;
import io.agenthive.skill.SkillRef;
import io.agenthive.task.AgentOutcome;
import io.agenthive.task.LearningChange;
import io.agenthive.task.Priority;
import io.agenthive.task.TaskQueue;
import io.agenthive.task.TaskStatus;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The matcher's picture mended from the journal's (reconciliation) and from what agents say they
 * hold (leases): each kind of lost message, and what must be left alone.
 */
class ReconciliationTest {
  static final Duration LEASE = Duration.ofSeconds(15);

  static Backlog.OpenTask open(String id, TaskStatus status, String agentId) {
    return new Backlog.OpenTask(
        id, Priority.MEDIUM, List.of(), 1, NOW, status, agentId, null, null, null);
  }

  static Backlog.Snapshot snapshot(Map<TaskStatus, Long> counts, Backlog.OpenTask... open) {
    return new Backlog.Snapshot(
        List.of(agent("a1", 2, new Capability("x", 0.9, 0.1))), List.of(open), counts);
  }

  static Matching withAgent() {
    Matching m = new Matching(AGING, 5, 100);
    m.joined(agent("a1", 2, new Capability("x", 0.9, 0.1)));
    return m;
  }

  static List<String> kinds(List<Reconciliation.Repair> repairs) {
    return repairs.stream().map(r -> r.kind() + " " + r.id()).toList();
  }

  @Test
  void aPendingTaskTheMatcherNeverHeardOfIsQueuedAndRuns() {
    Matching m = withAgent();
    var repairs =
        m.reconciliation()
            .reconcile(
                snapshot(Map.of(), open("lost", TaskStatus.PENDING, null)), Set.of(), false, NOW);
    assertEquals(List.of("pending_requeued lost"), kinds(repairs));
    assertEquals(List.of("lost"), dispatches(m).stream().map(Matching.Dispatch::taskId).toList());
  }

  @Test
  void whatTheMatcherHeardWhileTheSnapshotWasReadIsLeftAlone() {
    Matching m = withAgent();
    var repairs =
        m.reconciliation()
            .reconcile(
                snapshot(Map.of(), open("new", TaskStatus.PENDING, null)),
                Set.of("new"),
                false,
                NOW);
    assertEquals(List.of(), repairs);
    assertTrue(dispatches(m).isEmpty());
  }

  @Test
  void aQueuedTaskTheJournalSaysEndedIsDroppedAndOneOutIsKept() {
    Matching m = new Matching(AGING, 5, 100);
    m.admit(task("ended", Priority.LOW, NOW), NOW);
    var repairs = m.reconciliation().reconcile(snapshot(Map.of()), Set.of(), false, NOW);
    assertEquals(List.of("agent_joined a1", "ended_dropped ended"), kinds(repairs));
    assertEquals(0, m.counts(NOW).pending());
    // handed out but not yet started: the journal still says pending, and that is no repair
    m.admit(task("out", Priority.LOW, NOW), NOW);
    assertEquals(1, dispatches(m).size());
    assertEquals(
        List.of(),
        m.reconciliation()
            .reconcile(
                snapshot(Map.of(), open("out", TaskStatus.PENDING, null)), Set.of(), false, NOW));
  }

  @Test
  void aRunningAttemptTheMatcherDoesNotKnowIsAdoptedAndItsAgentAsked() {
    Matching m = withAgent();
    var repairs =
        m.reconciliation()
            .reconcile(
                snapshot(Map.of(), open("busy", TaskStatus.RUNNING, "a1")), Set.of(), false, NOW);
    assertEquals(List.of("running_adopted busy"), kinds(repairs));
    assertEquals(List.of(new Matching.ConfirmRuns("a1", Set.of("busy"))), m.drain());
    assertEquals(1, m.counts(NOW).inFlight());
  }

  @Test
  void countsAreTakenFromTheJournalOnlyWhenNothingMovedMeanwhile() {
    Matching m = withAgent();
    Map<TaskStatus, Long> journal = new EnumMap<>(TaskStatus.class);
    journal.put(TaskStatus.COMPLETED, 42L);
    assertEquals(List.of(), m.reconciliation().reconcile(snapshot(journal), Set.of(), false, NOW));
    assertEquals(0L, m.counts(NOW).tasks().get(TaskStatus.COMPLETED));
    assertEquals(
        List.of("counts_corrected tasks"),
        kinds(m.reconciliation().reconcile(snapshot(journal), Set.of(), true, NOW)));
    assertEquals(42L, m.counts(NOW).tasks().get(TaskStatus.COMPLETED));
    assertEquals(0L, m.counts(NOW).tasks().get(TaskStatus.PENDING));
  }

  @Test
  void anAttemptItsAgentDoesNotHoldForALeaseIsLostAndOneItHoldsIsKept() {
    Matching m = withAgent();
    m.admit(task("held", Priority.LOW, NOW), NOW);
    m.admit(task("gone", Priority.LOW, NOW), NOW);
    assertEquals(2, dispatches(m).size());
    m.held("a1", Set.of("held"), NOW.plusSeconds(10));
    var expired = m.expireLeases(NOW.plusSeconds(16), LEASE);
    assertEquals(List.of("gone"), expired.stream().map(o -> o.entry().taskId).toList());
    assertEquals(
        List.of(
            new Matching.SettleLost(
                "gone", "a1", "agent a1 did not say it held the task for 15 s (its lease)")),
        m.drain());
    assertTrue(m.expireLeases(NOW.plusSeconds(20), LEASE).isEmpty(), "held was renewed at +10 s");
  }

  @Test
  void aSlotWhoseReleaseWasLostIsFreedByTheAgentsReport() {
    Matching m = new Matching(AGING, 5, 100);
    m.joined(agent("a1", 1, new Capability("x", 0.9, 0.1)));
    m.admit(task("t", Priority.LOW, NOW), NOW);
    assertEquals(1, dispatches(m).size());
    m.changed(
        new TaskQueue.TaskChange(
            "t", TaskStatus.PENDING, TaskStatus.RUNNING, null, null, "a1", null, NOW),
        NOW);
    m.changed(
        new TaskQueue.TaskChange(
            "t", TaskStatus.RUNNING, TaskStatus.COMPLETED, null, null, null, null, NOW),
        NOW);
    // the agent's SlotFreed never arrived: a1 looks busy until it says it holds nothing
    m.admit(task("next", Priority.LOW, NOW), NOW);
    assertTrue(dispatches(m).isEmpty());
    assertEquals(List.of("t"), m.held("a1", Set.of(), NOW));
    assertEquals(List.of("next"), dispatches(m).stream().map(Matching.Dispatch::taskId).toList());
  }

  @Test
  void anAttemptTheJournalPutsOnAnotherAgentFreesTheSlotTheMatcherHeldForIt() {
    Matching m = new Matching(AGING, 5, 100);
    var a1 = agent("a1", 1, new Capability("x", 0.9, 0.1));
    var a2 = agent("a2", 1, new Capability("x", 0.5, 0.1));
    m.joined(a1);
    m.joined(a2);
    m.admit(task("t", Priority.LOW, NOW), NOW);
    assertEquals(List.of("a1"), dispatches(m).stream().map(Matching.Dispatch::agentId).toList());
    // the journal says t runs on a2 (the hand-over to a1 was lost, another node's matcher gave it
    // to a2): a2's slot is taken, a1's is free again, or a1 would never get work
    var repairs =
        m.reconciliation()
            .reconcile(
                new Backlog.Snapshot(
                    List.of(a1, a2), List.of(open("t", TaskStatus.RUNNING, "a2")), Map.of()),
                Set.of(),
                false,
                NOW);
    assertEquals(List.of("running_adopted t"), kinds(repairs));
    m.drain();
    m.admit(task("next", Priority.LOW, NOW), NOW);
    assertEquals(List.of("a1"), dispatches(m).stream().map(Matching.Dispatch::agentId).toList());
    assertEquals(List.of(), m.held("a2", Set.of("t"), NOW), "t is a2's: its report frees nothing");
  }

  static final AgentOutcome LEARNED =
      new AgentOutcome("a1", 120, 7, List.of(new LearningChange("x", 0.9, 0.91)));

  /** a1 after one completed attempt that taught it, as the journal folds it. */
  static Agent a1AfterOneAttempt() {
    return agent("a1", 2, new Capability("x", 0.9, 0.1))
        .afterAttempt(LEARNED, TaskStatus.COMPLETED, NOW);
  }

  /** The change of the task whose attempt that was, as its entity reports it to the matcher. */
  static TaskQueue.TaskChange completedWithOutcome() {
    return new TaskQueue.TaskChange(
        "t1", TaskStatus.RUNNING, TaskStatus.COMPLETED, null, null, null, LEARNED, NOW);
  }

  @Test
  void anOutcomeCountedTwiceAfterTheMatcherMovedTakesTheJournalsRecord() {
    // the new matcher's rebuild folded the outcome from the journal; the proxies then delivered
    // the task's change they held while the matcher moved: the same outcome, applied again
    Backlog.Snapshot journal =
        new Backlog.Snapshot(List.of(a1AfterOneAttempt()), List.of(), Map.of());
    Matching m = new Matching(AGING, 5, 100);
    m.rebuild(journal, NOW);
    m.changed(completedWithOutcome(), NOW);
    assertEquals(2, m.agent("a1").agent().completed());

    var repairs = m.reconciliation().reconcile(journal, Set.of(), false, NOW);

    assertEquals(List.of("agent_record_corrected a1"), kinds(repairs));
    Agent mended = m.agent("a1").agent();
    assertEquals(1, mended.completed());
    assertEquals(120, mended.totalDurationMs());
    assertEquals(7, mended.tokensUsed());
    assertEquals(0.91, mended.proficiencies().get("x"), 1e-12);
    assertTrue(
        m.reconciliation().reconcile(journal, Set.of(), false, NOW).isEmpty(),
        "a record that agrees is left alone");
  }

  @Test
  void anAgentWhoseOutcomeArrivedWhileTheSnapshotWasReadKeepsTheMatchersRecord() {
    Backlog.Snapshot older =
        new Backlog.Snapshot(
            List.of(agent("a1", 2, new Capability("x", 0.9, 0.1))), List.of(), Map.of());
    Matching m = new Matching(AGING, 5, 100);
    m.rebuild(older, NOW);
    m.changed(completedWithOutcome(), NOW); // newer than the snapshot

    assertEquals(List.of(), m.reconciliation().reconcile(older, Set.of("a1"), false, NOW));
    assertEquals(1, m.agent("a1").agent().completed());
  }

  @Test
  void aMendedRecordKeepsWhatTheAgentRunsAndItsOwnState() {
    Backlog.Snapshot journal =
        new Backlog.Snapshot(
            List.of(a1AfterOneAttempt()),
            List.of(open("running", TaskStatus.RUNNING, "a1")),
            Map.of());
    Matching m = new Matching(AGING, 5, 100);
    m.rebuild(journal, NOW);
    m.changed(completedWithOutcome(), NOW);
    m.changedAgent(a1AfterOneAttempt().withState(AgentState.PAUSED, NOW));

    m.reconciliation().reconcile(journal, Set.of(), false, NOW);

    AgentProfile p = m.agent("a1");
    assertEquals(1, p.agent().completed());
    assertEquals(Set.of("running"), p.running());
    assertEquals(AgentState.PAUSED, p.agent().state());
  }

  /** a1 with these sums of attempts and a proficiency for x. */
  static Agent a1With(long completed, long failed, long ms, long tokens, double x) {
    return new Agent(
        "a1",
        "a1",
        "worker",
        SkillRef.named("noop"),
        List.of(new Capability("x", x, 0.1)),
        AgentState.IDLE,
        completed,
        failed,
        ms,
        tokens,
        NOW,
        NOW,
        List.of(),
        2);
  }

  static List<Reconciliation.Repair> look(Matching m, Agent journal) {
    return m.reconciliation()
        .reconcile(
            new Backlog.Snapshot(List.of(journal), List.of(), Map.of()), Set.of(), false, NOW);
  }

  @Test
  void eachSumTheMatcherCountedTwiceIsFoundAlone() {
    Agent journal = a1With(3, 2, 500, 40, 0.9);
    for (Agent mine :
        List.of(
            a1With(4, 2, 500, 40, 0.9),
            a1With(3, 3, 500, 40, 0.9),
            a1With(3, 2, 600, 40, 0.9),
            a1With(3, 2, 500, 50, 0.9))) {
      Matching m = new Matching(AGING, 5, 100);
      m.joined(mine);
      assertEquals(List.of("agent_record_corrected a1"), kinds(look(m, journal)), mine.toString());
      assertTrue(AgentRecords.sameSums(m.agent("a1").agent(), journal));
    }
  }

  @Test
  void proficienciesThatDifferOnlyInTheOrderTheirStepsWereFoldedAreLeftAlone() {
    // clamped steps folded in another order: 0.995 +0.01 -0.005 is 0.995, -0.005 +0.01 is 1.0
    Matching m = new Matching(AGING, 5, 100);
    m.joined(a1With(2, 0, 500, 40, 0.995));
    assertEquals(List.of(), look(m, a1With(2, 0, 500, 40, 1.0)));
    assertEquals(0.995, m.agent("a1").agent().proficiencies().get("x"), 1e-12);
  }

  @Test
  void aMatcherBehindTheJournalIsMendedOnlyWhenItIsStillBehindAtTheNextLook() {
    Agent journal = a1AfterOneAttempt();
    Matching waiting = new Matching(AGING, 5, 100);
    waiting.joined(agent("a1", 2, new Capability("x", 0.9, 0.1)));
    assertEquals(List.of(), look(waiting, journal), "the outcome may be on its way");
    waiting.changed(completedWithOutcome(), NOW); // it was
    assertEquals(List.of(), look(waiting, journal));
    assertEquals(1, waiting.agent("a1").agent().completed());

    Matching lost = new Matching(AGING, 5, 100);
    lost.joined(agent("a1", 2, new Capability("x", 0.9, 0.1)));
    assertEquals(List.of(), look(lost, journal));
    assertEquals(List.of("agent_record_corrected a1"), kinds(look(lost, journal)));
    assertEquals(0.91, lost.agent("a1").agent().proficiencies().get("x"), 1e-12);
  }

  @Test
  void aLookThatTakesLongPutsTheNextOffSoReconcilingStaysUnderFivePercent() {
    Duration interval = Duration.ofSeconds(10);
    assertEquals(interval, Reconciler.nextAfter(interval, Duration.ofMillis(40)));
    assertEquals(Duration.ofSeconds(30), Reconciler.nextAfter(interval, Duration.ofMillis(1500)));
  }
}
