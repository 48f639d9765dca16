package io.agenthive.matcher;

import static org.junit.jupiter.api.Assertions.*;

import io.agenthive.agent.Agent;
import io.agenthive.agent.AgentState;
import io.agenthive.agent.Capability;
import io.agenthive.agent.MatcherLink.SlotRelease;
import io.agenthive.routing.RoutingPolicy;
import io.agenthive.skill.SkillRef;
import io.agenthive.task.AssignmentReason;
import io.agenthive.task.Priority;
import io.agenthive.task.RequiredCapability;
import io.agenthive.task.TaskQueue;
import io.agenthive.task.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The matcher's rules without the actor: same choices as the routing policy, and its states. */
class MatchingTest {
  static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
  static final Duration AGING = Duration.ofSeconds(60);

  static Agent agent(String id, int maxConcurrency, Capability... caps) {
    return new Agent(
        id,
        id,
        "worker",
        SkillRef.named("noop"),
        List.of(caps),
        AgentState.IDLE,
        0,
        0,
        0,
        0,
        NOW,
        NOW,
        List.of(),
        maxConcurrency);
  }

  static TaskQueue.QueuedTask task(String id, Priority p, Instant at, RequiredCapability... reqs) {
    return new TaskQueue.QueuedTask(id, p, List.of(reqs), at);
  }

  /** The reason without each candidate's count of ended attempts. */
  static AssignmentReason scoresOnly(AssignmentReason r) {
    return new AssignmentReason(
        r.policy(),
        r.qualified(),
        r.candidates().stream()
            .map(c -> new AssignmentReason.Candidate(c.agentId(), c.score()))
            .toList(),
        r.winner(),
        r.winnerScore(),
        r.skipped());
  }

  static List<Matching.Dispatch> dispatches(Matching m) {
    m.dispatch(NOW);
    List<Matching.Dispatch> out = new ArrayList<>();
    m.drain().forEach(a -> out.add((Matching.Dispatch) a));
    return out;
  }

  @Test
  void assignsExactlyAsTheRoutingPolicyDoesOnRandomHives() {
    String[] names = {"a", "b", "c"};
    double[] minimums = {0.0, 0.3, 0.5, 0.7};
    for (int seed = 1; seed <= 40; seed++) {
      Random random = new Random(seed);
      Matching m = new Matching(AGING, 5, 10_000);
      List<RoutingPolicy.IdleAgent> idle = new ArrayList<>();
      int agents = 1 + random.nextInt(40);
      for (int i = 0; i < agents; i++) {
        List<Capability> caps = new ArrayList<>();
        for (String n : names) {
          if (random.nextDouble() < 0.6) {
            caps.add(new Capability(n, Math.round(random.nextDouble() * 100) / 100.0, 0.1));
          }
        }
        Agent a = agent(String.format("agent-%02d", i), 1, caps.toArray(Capability[]::new));
        m.joined(a);
        idle.add(new RoutingPolicy.IdleAgent(a.id(), a.proficiencies(), Instant.EPOCH));
      }
      List<RoutingPolicy.PendingTask> pending = new ArrayList<>();
      int tasks = 1 + random.nextInt(60);
      // queued over the last five minutes, in queue order (the matcher's FIFO is arrival order)
      int[] ago = random.ints(tasks, 0, 300).sorted().toArray();
      for (int i = 0; i < tasks; i++) {
        List<RequiredCapability> reqs = new ArrayList<>();
        for (String n : names) {
          if (random.nextDouble() < 0.35) {
            reqs.add(new RequiredCapability(n, minimums[random.nextInt(minimums.length)]));
          }
        }
        Priority p = Priority.values()[random.nextInt(4)];
        Instant queuedAt = NOW.minusSeconds(ago[tasks - 1 - i]);
        String id = String.format("task-%02d", i);
        m.admit(task(id, p, queuedAt, reqs.toArray(RequiredCapability[]::new)), NOW);
        pending.add(new RoutingPolicy.PendingTask(id, p, reqs, i, queuedAt, null));
      }
      List<RoutingPolicy.Assignment> expected =
          new RoutingPolicy(AGING, 5).assign(pending, idle, NOW);
      List<Matching.Dispatch> actual = dispatches(m);
      assertEquals(expected.size(), actual.size(), "seed " + seed);
      for (int i = 0; i < expected.size(); i++) {
        assertEquals(expected.get(i).taskId(), actual.get(i).taskId(), "seed " + seed);
        assertEquals(expected.get(i).agentId(), actual.get(i).agentId(), "seed " + seed);
        // the reference policy knows no agent records: the matcher's reason also says how many
        // attempts each candidate had ended, none yet in these fresh hives
        assertEquals(expected.get(i).reason(), scoresOnly(actual.get(i).reason()), "seed " + seed);
        for (AssignmentReason.Candidate c : actual.get(i).reason().candidates()) {
          assertEquals(0L, c.outcomes(), "seed " + seed);
        }
      }
    }
  }

  @Test
  void aQueueAtItsBoundRefusesAndAKnownTaskIsAlwaysAdmitted() {
    Matching m = new Matching(AGING, 5, 2);
    assertInstanceOf(TaskQueue.Admitted.class, m.admit(task("t1", Priority.LOW, NOW), NOW));
    assertInstanceOf(TaskQueue.Admitted.class, m.admit(task("t2", Priority.LOW, NOW), NOW));
    assertEquals(new TaskQueue.QueueFull(2), m.admit(task("t3", Priority.LOW, NOW), NOW));
    assertInstanceOf(TaskQueue.Admitted.class, m.admit(task("t1", Priority.LOW, NOW), NOW));
  }

  @Test
  void anAgentRunsUpToItsConcurrencyAndTakesMoreWhenASlotFrees() {
    Matching m = new Matching(AGING, 5, 100);
    m.joined(agent("wide", 2, new Capability("x", 0.5, 0.1)));
    for (int i = 0; i < 3; i++) {
      m.admit(task("t" + i, Priority.MEDIUM, NOW, new RequiredCapability("x", 0.1)), NOW);
    }
    assertEquals(
        List.of("t0", "t1"), dispatches(m).stream().map(Matching.Dispatch::taskId).toList());
    assertEquals(AgentState.WORKING, m.agent("wide").effectiveState());
    m.slotFreed("wide", "t0", SlotRelease.RAN, NOW);
    m.changed(
        new TaskQueue.TaskChange(
            "t0", TaskStatus.RUNNING, TaskStatus.COMPLETED, null, null, null, null, NOW),
        NOW);
    assertEquals(List.of("t2"), dispatches(m).stream().map(Matching.Dispatch::taskId).toList());
    assertEquals(0, m.counts(NOW).pending());
    assertEquals(2, m.counts(NOW).inFlight());
  }

  @Test
  void aLostAttemptWaitsForItsEntityAndComesBackNotBeforeItsRetryTime() {
    Matching m = new Matching(AGING, 5, 100);
    m.joined(agent("a1", 1, new Capability("x", 0.5, 0.1)));
    m.admit(task("t", Priority.HIGH, NOW, new RequiredCapability("x", 0.1)), NOW);
    assertEquals(1, dispatches(m).size());
    m.lostRuns().restarted("a1");
    List<Matching.Action> actions = m.drain();
    assertEquals(
        List.of(new Matching.SettleLost("t", "a1", "agent a1 restarted while running the task")),
        actions);
    assertTrue(dispatches(m).isEmpty(), "not queued again until its entity answers");
    Instant retryAt = NOW.plusSeconds(5);
    m.lostRuns().lostSettled("t", TaskStatus.PENDING, retryAt, NOW);
    m.dispatch(NOW);
    assertTrue(m.drain().isEmpty(), "waits for its retry time");
    m.dispatch(retryAt);
    assertEquals(1, m.drain().size());
  }

  @Test
  void aLostReportIsNotSentAgainOnceTheTaskHasGoneOnToItsNextAttempt() {
    Matching m = new Matching(AGING, 5, 100);
    m.joined(agent("a1", 1, new Capability("x", 0.5, 0.1)));
    m.admit(task("t", Priority.HIGH, NOW, new RequiredCapability("x", 0.1)), NOW);
    dispatches(m);
    m.changed(
        new TaskQueue.TaskChange(
            "t", TaskStatus.PENDING, TaskStatus.RUNNING, null, null, "a1", null, NOW),
        NOW);
    m.lostRuns().restarted("a1");
    m.drain();
    assertTrue(m.lostRuns().awaitingVerdict("t"), "the report's answer is awaited");
    // the entity ended the attempt, but its answer to the report timed out: the task's own change
    // comes, and the next attempt goes to the same agent
    m.changed(
        new TaskQueue.TaskChange(
            "t", TaskStatus.RUNNING, TaskStatus.PENDING, null, NOW, "a1", null, NOW),
        NOW);
    assertFalse(m.lostRuns().awaitingVerdict("t"), "a report sent again would end attempt 2");
    assertEquals(List.of("a1"), dispatches(m).stream().map(Matching.Dispatch::agentId).toList());
    m.changed(
        new TaskQueue.TaskChange(
            "t", TaskStatus.PENDING, TaskStatus.RUNNING, null, null, "a1", null, NOW),
        NOW);
    assertFalse(m.lostRuns().awaitingVerdict("t"));
  }

  @Test
  void whenANodeLeavesAgentsAreAskedAboutRunsTheyEndedWhoseEndIsNotRecorded() {
    Matching m = new Matching(AGING, 5, 100);
    m.joined(agent("a1", 2, new Capability("x", 0.5, 0.1)));
    m.admit(task("held", Priority.HIGH, NOW, new RequiredCapability("x", 0.1)), NOW);
    m.admit(task("stranded", Priority.HIGH, NOW, new RequiredCapability("x", 0.1)), NOW);
    m.admit(task("running", Priority.HIGH, NOW.plusMillis(1)), NOW);
    m.joined(agent("a2", 1));
    assertEquals(3, dispatches(m).size());
    // a1 ended both of its runs; no entity has recorded either end yet; a2 still runs its task
    m.slotFreed("a1", "held", SlotRelease.RAN, NOW);
    m.slotFreed("a1", "stranded", SlotRelease.RAN, NOW);
    m.lostRuns().nodeLost();
    assertEquals(
        Set.of(
            new Matching.ConfirmRuns("a2", Set.of("running")),
            new Matching.ConfirmRuns("a1", Set.of("held", "stranded"))),
        Set.copyOf(m.drain()));
    // a1 still holds the result of "held" to deliver; of "stranded" it knows nothing
    m.lostRuns().runsConfirmed("a1", Set.of("held", "stranded"), Set.of("held"), null);
    assertEquals(
        List.of(new Matching.SettleLost("stranded", "a1", "agent a1" + LostRuns.NOT_HELD)),
        m.drain());
    assertEquals(3, m.counts(NOW).inFlight(), "held is still out, stranded waits for its entity");
  }

  @Test
  void aStaleLossFromAnAgentNoLongerHoldingTheTaskChangesNothing() {
    Matching m = new Matching(AGING, 5, 100);
    m.joined(agent("a1", 1));
    m.admit(task("t", Priority.HIGH, NOW), NOW);
    assertEquals(1, dispatches(m).size());
    m.slotFreed("a1", "t", SlotRelease.DECLINED, NOW);
    m.joined(agent("a2", 1));
    m.lostRuns().restarted("a1"); // a1 is busy with nothing: nothing to lose
    assertTrue(m.drain().isEmpty());
    assertEquals(1, dispatches(m).size(), "t handed out again");
    m.slotFreed("a1", "t", SlotRelease.NO_ANSWER, NOW); // a late word about a1's old start
    assertTrue(m.drain().isEmpty(), "t stays with its new agent");
    assertEquals(1, m.counts(NOW).inFlight());
  }

  @Test
  void aTaskCancelledWhileOutIsStoppedOnItsAgent() {
    Matching m = new Matching(AGING, 5, 100);
    m.joined(agent("a1", 1));
    m.admit(task("t", Priority.HIGH, NOW), NOW);
    dispatches(m);
    m.changed(
        new TaskQueue.TaskChange(
            "t", TaskStatus.PENDING, TaskStatus.RUNNING, null, null, "a1", null, NOW),
        NOW);
    m.changed(
        new TaskQueue.TaskChange(
            "t", TaskStatus.RUNNING, TaskStatus.CANCELLED, null, null, null, null, NOW),
        NOW);
    assertEquals(List.of(new Matching.CancelRun("a1", "t")), m.drain());
    assertEquals(1L, m.counts(NOW).tasks().get(TaskStatus.CANCELLED));
  }

  @Test
  void aRebuildQueuesPendingTasksAndAsksAgentsToConfirmWhatTheyRun() {
    Matching m = new Matching(AGING, 5, 100);
    Backlog.Snapshot snapshot =
        new Backlog.Snapshot(
            List.of(agent("a1", 1, new Capability("x", 0.9, 0.1))),
            List.of(
                new Backlog.OpenTask(
                    "running",
                    Priority.LOW,
                    List.of(),
                    1,
                    NOW,
                    TaskStatus.RUNNING,
                    "a1",
                    null,
                    null,
                    null),
                new Backlog.OpenTask(
                    "waiting",
                    Priority.LOW,
                    List.of(),
                    2,
                    NOW,
                    TaskStatus.PENDING,
                    null,
                    null,
                    null,
                    null)),
            Map.of(TaskStatus.RUNNING, 1L, TaskStatus.PENDING, 1L, TaskStatus.COMPLETED, 7L));
    m.rebuild(snapshot, NOW);
    assertEquals(List.of(new Matching.ConfirmRuns("a1", Set.of("running"))), m.drain());
    assertTrue(dispatches(m).isEmpty(), "a1's slot is taken until it answers");
    m.lostRuns().runsConfirmed("a1", Set.of("running"), Set.of(), null);
    assertEquals(
        List.of(new Matching.SettleLost("running", "a1", "agent a1" + LostRuns.NOT_HELD)),
        m.drain());
    assertEquals(
        List.of("waiting"), dispatches(m).stream().map(Matching.Dispatch::taskId).toList());
    assertEquals(7L, m.counts(NOW).tasks().get(TaskStatus.COMPLETED));
  }

  @Test
  void anOutcomeTeachesTheAgentAndCountsForIt() {
    Matching m = new Matching(AGING, 5, 100);
    m.joined(agent("a1", 1, new Capability("x", 0.5, 0.1)));
    var outcome =
        new io.agenthive.task.AgentOutcome(
            "a1", 40, 3, List.of(new io.agenthive.task.LearningChange("x", 0.5, 0.51)));
    m.changed(
        new TaskQueue.TaskChange(
            "t", TaskStatus.RUNNING, TaskStatus.COMPLETED, null, null, null, outcome, NOW),
        NOW);
    var view = m.agent("a1").view();
    assertEquals(1, view.tasksCompleted());
    assertEquals(3, view.tokensUsed());
    assertEquals(0.51, view.capabilities().get(0).proficiency(), 1e-12);
    assertEquals(0.51, m.counts(NOW).meanProficiency(), 1e-12);
    // the next decision names the record it scored: one ended attempt, proficiency 0.51
    m.admit(task("next", Priority.MEDIUM, NOW, new RequiredCapability("x", 0.1)), NOW);
    AssignmentReason.Candidate scored = dispatches(m).get(0).reason().candidates().get(0);
    assertEquals(1L, scored.outcomes());
    assertEquals(0.51, scored.score(), 1e-12);
  }
}
