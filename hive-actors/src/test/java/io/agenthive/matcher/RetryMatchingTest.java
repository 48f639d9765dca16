package io.agenthive.matcher;

import static io.agenthive.matcher.MatchingTest.NOW;
import static io.agenthive.matcher.MatchingTest.agent;
import static io.agenthive.matcher.MatchingTest.dispatches;
import static io.agenthive.matcher.MatchingTest.task;
import static org.junit.jupiter.api.Assertions.*;

import io.agenthive.agent.Capability;
import io.agenthive.agent.MatcherLink.SlotRelease;
import io.agenthive.task.AgentOutcome;
import io.agenthive.task.AssignmentReason;
import io.agenthive.task.Priority;
import io.agenthive.task.RequiredCapability;
import io.agenthive.task.TaskQueue;
import io.agenthive.task.TaskStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A retry goes to an agent that has not failed the task when one is free; an escalation rung. */
class RetryMatchingTest {
  static final RequiredCapability X = new RequiredCapability("x", 0.1);

  /** Runs {@code t} on the agent the matcher picks, then fails it there, to be retried. */
  static String runAndFail(Matching m, TaskQueue.QueuedTask t, TaskQueue.QueuedTask next) {
    List<Matching.Dispatch> d = dispatches(m);
    assertEquals(1, d.size());
    String agentId = d.get(0).agentId();
    m.changed(
        new TaskQueue.TaskChange(
            t.taskId(), TaskStatus.PENDING, TaskStatus.RUNNING, null, null, agentId, null, NOW),
        NOW);
    m.slotFreed(agentId, t.taskId(), SlotRelease.RAN, NOW);
    // as the task entity queues its retry: the agents its journal says failed it travel along
    TaskQueue.QueuedTask retry =
        new TaskQueue.QueuedTask(
            next.taskId(),
            next.priority(),
            next.requirements(),
            next.queuedAt(),
            null,
            null,
            List.of(agentId));
    m.changed(
        new TaskQueue.TaskChange(
            t.taskId(),
            TaskStatus.RUNNING,
            TaskStatus.PENDING,
            retry,
            null,
            null,
            new AgentOutcome(agentId, 10, 0, List.of()),
            NOW),
        NOW);
    return agentId;
  }

  @Test
  void aRetryGoesToAnotherQualifyingAgentEvenAWorseOne() {
    Matching m = new Matching(MatchingTest.AGING, 5, 100);
    m.joined(agent("strong", 1, new Capability("x", 0.9, 0.1)));
    m.joined(agent("weak", 1, new Capability("x", 0.4, 0.1)));
    TaskQueue.QueuedTask t = task("t", Priority.HIGH, NOW, X);
    m.admit(t, NOW);
    assertEquals("strong", runAndFail(m, t, t));
    List<Matching.Dispatch> retry = dispatches(m);
    assertEquals("weak", retry.get(0).agentId(), "the free agent that failed it is passed by");
    assertEquals(
        List.of(new AssignmentReason.Skipped("strong", AssignmentReason.FAILED_BEFORE)),
        retry.get(0).reason().skipped());
    assertEquals(2, retry.get(0).reason().qualified());
  }

  @Test
  void withOnlyTheAgentThatFailedItTheRetryStillGoesThere() {
    Matching m = new Matching(MatchingTest.AGING, 5, 100);
    m.joined(agent("only", 1, new Capability("x", 0.9, 0.1)));
    TaskQueue.QueuedTask t = task("t", Priority.HIGH, NOW, X);
    m.admit(t, NOW);
    runAndFail(m, t, t);
    List<Matching.Dispatch> retry = dispatches(m);
    assertEquals("only", retry.get(0).agentId(), "no task waits for an agent that is not there");
    assertEquals(List.of(), retry.get(0).reason().skipped());
  }

  @Test
  void aRetryTakesTheNextAttemptsRequirementsItsEscalationRung() {
    Matching m = new Matching(MatchingTest.AGING, 5, 100);
    m.joined(agent("cheap", 1, new Capability("summarize.cheap", 0.8, 0.1)));
    m.joined(agent("strong", 1, new Capability("summarize.strong", 0.8, 0.1)));
    TaskQueue.QueuedTask first =
        task("t", Priority.HIGH, NOW, new RequiredCapability("summarize.cheap", 0.5));
    TaskQueue.QueuedTask second =
        task("t", Priority.HIGH, NOW, new RequiredCapability("summarize.strong", 0.7));
    m.admit(first, NOW);
    assertEquals("cheap", runAndFail(m, first, second));
    assertEquals("strong", dispatches(m).get(0).agentId());
  }

  @Test
  void aRebuiltRetryAvoidsTheAgentItsLastAttemptRanOn() {
    Matching m = new Matching(MatchingTest.AGING, 5, 100);
    Backlog.OpenTask retrying =
        new Backlog.OpenTask(
            "t", Priority.LOW, List.of(X), 1, NOW, TaskStatus.PENDING, "a1", null, null, null);
    m.rebuild(
        new Backlog.Snapshot(
            List.of(
                agent("a1", 1, new Capability("x", 0.9, 0.1)),
                agent("a2", 1, new Capability("x", 0.5, 0.1))),
            List.of(retrying),
            Map.of(TaskStatus.PENDING, 1L)),
        NOW);
    m.drain();
    assertEquals("a2", dispatches(m).get(0).agentId());
  }

  @Test
  void aRebuiltRetryAvoidsEveryAgentItsJournalSaysFailedIt() {
    Matching m = new Matching(MatchingTest.AGING, 5, 100);
    Backlog.OpenTask retrying =
        new Backlog.OpenTask(
            "t",
            Priority.LOW,
            List.of(X),
            1,
            NOW,
            TaskStatus.PENDING,
            "a2",
            null,
            null,
            null,
            List.of("a1", "a2"));
    m.rebuild(
        new Backlog.Snapshot(
            List.of(
                agent("a1", 1, new Capability("x", 0.9, 0.1)),
                agent("a2", 1, new Capability("x", 0.8, 0.1)),
                agent("a3", 1, new Capability("x", 0.2, 0.1))),
            List.of(retrying),
            Map.of(TaskStatus.PENDING, 1L)),
        NOW);
    m.drain();
    assertEquals("a3", dispatches(m).get(0).agentId());
  }
}
