package io.agenthive.matcher;

import static io.agenthive.matcher.MatchingTest.*;
import static org.junit.jupiter.api.Assertions.*;

import io.agenthive.agent.Capability;
import io.agenthive.budget.Budget;
import io.agenthive.budget.Hold;
import io.agenthive.task.Priority;
import io.agenthive.task.TaskQueue;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Budget holds in the matcher's rules: held agents take nothing, held tasks wait and come back. */
class BudgetHoldsMatchingTest {
  static Hold hold(Budget.Scope scope, String target) {
    return new Hold("b", scope, target, Budget.Metric.TOKENS, 900, 1000, null);
  }

  static TaskQueue.QueuedTask of(String id, String workflow, String principal) {
    return new TaskQueue.QueuedTask(id, Priority.MEDIUM, List.of(), NOW, workflow, principal);
  }

  @Test
  void aHeldAgentTakesNothingUntilItsHoldIsLifted() {
    Matching m = new Matching(AGING, 5, 100);
    m.joined(agent("a1", 1, new Capability("x", 0.9, 0.1)));
    m.budgetHolds(List.of(hold(Budget.Scope.AGENT, "a1")));
    m.admit(of("t1", null, null), NOW);
    assertTrue(dispatches(m).isEmpty(), "the held agent got the task");
    m.budgetHolds(List.of());
    assertEquals("t1", dispatches(m).get(0).taskId());
  }

  @Test
  void aHeldWorkflowsAndPrincipalsTasksWaitWhileOthersRun() {
    Matching m = new Matching(AGING, 5, 100);
    m.joined(agent("a1", 4, new Capability("x", 0.9, 0.1)));
    m.admit(of("early", "wf-1", null), NOW); // queued before the hold: parked when it comes
    m.budgetHolds(
        List.of(hold(Budget.Scope.WORKFLOW, "wf-1"), hold(Budget.Scope.PRINCIPAL, "key:k1")));
    m.admit(of("late", "wf-1", null), NOW);
    m.admit(of("mine", null, "key:k1"), NOW);
    m.admit(of("free", "wf-2", "key:k2"), NOW);
    var first = dispatches(m);
    assertEquals(List.of("free"), first.stream().map(Matching.Dispatch::taskId).toList());
    assertEquals(4, m.counts(NOW).pending() + m.counts(NOW).inFlight(), "held tasks still count");
    m.budgetHolds(List.of(hold(Budget.Scope.PRINCIPAL, "key:k1")));
    var released = dispatches(m).stream().map(Matching.Dispatch::taskId).sorted().toList();
    assertEquals(List.of("early", "late"), released);
    m.budgetHolds(List.of());
    assertEquals("mine", dispatches(m).get(0).taskId());
  }
}
