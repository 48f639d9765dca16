package io.agenthive.matcher;

import static io.agenthive.matcher.MatchingTest.NOW;
import static io.agenthive.matcher.MatchingTest.agent;
import static io.agenthive.matcher.MatchingTest.dispatches;
import static org.junit.jupiter.api.Assertions.*;

import io.agenthive.agent.Capability;
import io.agenthive.task.Priority;
import io.agenthive.task.RequiredCapability;
import io.agenthive.task.TaskQueue;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A consensus step's voters (one spread group) go to distinct agents while enough qualify, even
 * when the best agent has room for all of them; with fewer agents they share rather than wait.
 */
class SpreadMatchingTest {
  static final RequiredCapability X = new RequiredCapability("x", 0.1);

  static TaskQueue.QueuedTask voter(String id) {
    return new TaskQueue.QueuedTask(
        id, Priority.MEDIUM, List.of(X), NOW, "wf-1", null, null, "wf-1/vote");
  }

  @Test
  void votersGoToDistinctAgentsAndTheSkippedSaysWhy() {
    Matching m = new Matching(MatchingTest.AGING, 5, 100);
    m.joined(agent("strong", 3, new Capability("x", 0.9, 0.1)));
    m.joined(agent("middle", 3, new Capability("x", 0.6, 0.1)));
    m.joined(agent("weak", 3, new Capability("x", 0.4, 0.1)));
    for (String id : List.of("v1", "v2", "v3")) {
      m.admit(voter(id), NOW);
    }
    List<Matching.Dispatch> d = dispatches(m);
    assertEquals(3, d.size());
    Set<String> agents = new HashSet<>();
    d.forEach(x -> agents.add(x.agentId()));
    assertEquals(Set.of("strong", "middle", "weak"), agents);
    Matching.Dispatch last = d.get(2);
    assertTrue(
        last.reason().skipped().stream().allMatch(s -> s.why().equals(SpreadGroups.SIBLING)),
        last.reason().skipped().toString());
    assertEquals(2, last.reason().skipped().size());
  }

  @Test
  void withOneQualifyingAgentTheVotersShareItRatherThanWait() {
    Matching m = new Matching(MatchingTest.AGING, 5, 100);
    m.joined(agent("only", 3, new Capability("x", 0.9, 0.1)));
    for (String id : List.of("v1", "v2", "v3")) {
      m.admit(voter(id), NOW);
    }
    List<Matching.Dispatch> d = dispatches(m);
    assertEquals(3, d.size());
    d.forEach(x -> assertEquals("only", x.agentId()));
  }
}
