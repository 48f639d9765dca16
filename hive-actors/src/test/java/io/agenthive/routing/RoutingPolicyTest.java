package io.agenthive.routing;

import static org.junit.jupiter.api.Assertions.*;

import io.agenthive.routing.RoutingPolicy.Assignment;
import io.agenthive.routing.RoutingPolicy.IdleAgent;
import io.agenthive.routing.RoutingPolicy.PendingTask;
import io.agenthive.task.Priority;
import io.agenthive.task.RequiredCapability;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoutingPolicyTest {
  static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
  final RoutingPolicy policy = new RoutingPolicy(Duration.ofMinutes(1), 10);

  static PendingTask task(String id, Priority p, long seq, RequiredCapability... reqs) {
    return new PendingTask(id, p, List.of(reqs), seq, NOW, null);
  }

  static IdleAgent agent(String id, double proficiency) {
    return new IdleAgent(id, Map.of("code", proficiency), Instant.EPOCH);
  }

  static RequiredCapability code(double min) {
    return new RequiredCapability("code", min);
  }

  @Test
  void picksTheHighestMeanProficiencyAmongQualifiedAgents() {
    IdleAgent both = new IdleAgent("both", Map.of("code", 0.8, "docs", 0.4), Instant.EPOCH);
    IdleAgent codeOnly = new IdleAgent("code-only", Map.of("code", 0.99), Instant.EPOCH);
    PendingTask t = task("t", Priority.LOW, 0, code(0.5), new RequiredCapability("docs", 0.3));

    Assignment a = policy.assign(List.of(t), List.of(codeOnly, both), NOW).get(0);
    assertEquals("both", a.agentId(), "code-only lacks docs entirely");
    assertEquals(0.6, a.reason().winnerScore(), 1e-9);
    assertEquals(1, a.reason().qualified());
    assertEquals(RoutingPolicy.NAME, a.reason().policy());
  }

  @Test
  void aTaskNobodyQualifiesForWaitsWithoutBlockingTheTasksBehindIt() {
    List<Assignment> out =
        policy.assign(
            List.of(task("hard", Priority.CRITICAL, 0, code(0.9)), task("easy", Priority.LOW, 1)),
            List.of(agent("a", 0.5)),
            NOW);
    assertEquals(List.of("easy"), out.stream().map(Assignment::taskId).toList());
  }

  @Test
  void servesByPriorityThenArrivalAndGivesEachAgentOneTask() {
    List<PendingTask> pending =
        List.of(
            task("low", Priority.LOW, 0),
            task("high-2", Priority.HIGH, 2),
            task("crit", Priority.CRITICAL, 3),
            task("high-1", Priority.HIGH, 1));
    List<Assignment> out =
        policy.assign(pending, List.of(agent("a", 0.1), agent("b", 0.2), agent("c", 0.3)), NOW);
    assertEquals(
        List.of("crit", "high-1", "high-2"), out.stream().map(Assignment::taskId).toList());
    assertEquals(3, out.stream().map(Assignment::agentId).distinct().count());
  }

  @Test
  void agingLetsALongWaitingLowTaskOvertakeNewerHighOnes() {
    PendingTask oldLow =
        new PendingTask(
            "old-low", Priority.LOW, List.of(), 0, NOW.minus(Duration.ofMinutes(3)), null);
    PendingTask freshHigh = task("fresh-high", Priority.HIGH, 1);
    assertEquals(Priority.CRITICAL.rank(), policy.effectiveRank(oldLow, NOW));
    assertEquals(
        "old-low",
        policy.assign(List.of(freshHigh, oldLow), List.of(agent("a", 1)), NOW).get(0).taskId());
  }

  @Test
  void tiesGoToTheLeastRecentlyBusyAgent() {
    IdleAgent recent = new IdleAgent("a-recent", Map.of("code", 0.7), NOW.minusSeconds(1));
    IdleAgent rested = new IdleAgent("z-rested", Map.of("code", 0.7), NOW.minusSeconds(60));
    assertEquals(
        "z-rested",
        policy
            .assign(List.of(task("t", Priority.LOW, 0, code(0.1))), List.of(recent, rested), NOW)
            .get(0)
            .agentId());
  }

  @Test
  void theReasonShowsTheBestCandidatesInScoreOrderWithTiesByRest() {
    RoutingPolicy showThree = new RoutingPolicy(Duration.ofMinutes(1), 3);
    List<IdleAgent> agents =
        List.of(
            new IdleAgent("low", Map.of("code", 0.2), NOW.minusSeconds(90)),
            new IdleAgent("tie-recent", Map.of("code", 0.8), NOW.minusSeconds(5)),
            new IdleAgent("best", Map.of("code", 0.9), NOW.minusSeconds(1)),
            new IdleAgent("tie-rested", Map.of("code", 0.8), NOW.minusSeconds(50)),
            new IdleAgent("mid", Map.of("code", 0.5), NOW.minusSeconds(70)),
            new IdleAgent("unqualified", Map.of("docs", 1.0), NOW.minusSeconds(99)));
    var reason =
        showThree
            .assign(List.of(task("t", Priority.LOW, 0, code(0.1))), agents, NOW)
            .get(0)
            .reason();
    assertEquals(5, reason.qualified());
    assertEquals(
        List.of("best", "tie-rested", "tie-recent"),
        reason.candidates().stream().map(c -> c.agentId()).toList());
    assertEquals("best", reason.winner());
  }

  @Test
  void tasksWaitingForABackoffAreNotServedEarly() {
    PendingTask later =
        new PendingTask("later", Priority.HIGH, List.of(), 0, NOW, NOW.plusSeconds(5));
    assertTrue(policy.assign(List.of(later), List.of(agent("a", 1)), NOW).isEmpty());
    assertEquals(
        1, policy.assign(List.of(later), List.of(agent("a", 1)), NOW.plusSeconds(5)).size());
  }

  @Test
  void fitnessIsOneHalfWithoutRequirements() {
    assertEquals(0.5, RoutingPolicy.fitness(Map.of("code", 0.9), List.of()), 1e-9);
  }
}
