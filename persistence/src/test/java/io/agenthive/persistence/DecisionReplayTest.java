package io.agenthive.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthive.agent.AgentEvent.AgentRegistered;
import io.agenthive.agent.AgentSpec;
import io.agenthive.agent.Capability;
import io.agenthive.hive.HiveTestKit;
import io.agenthive.routing.ScoringPolicy;
import io.agenthive.skill.SkillRef;
import io.agenthive.task.AgentOutcome;
import io.agenthive.task.AssignmentReason;
import io.agenthive.task.AssignmentReason.Candidate;
import io.agenthive.task.LearningChange;
import io.agenthive.task.Priority;
import io.agenthive.task.TaskEvent;
import io.agenthive.task.TaskResult;
import io.agenthive.task.TaskSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The journal can hold an agent's later outcome before a decision that did not see it: the matcher
 * decided task B (the apprentice idle, one of its candidates) and then task A for the apprentice,
 * and A's entity wrote A's start and A's end, with what it taught the apprentice, before B's entity
 * wrote B's start. A CI run of {@code ReplayDecisionsCommandTest} met exactly this.
 */
class DecisionReplayTest {
  private static final Instant T = Instant.parse("2026-12-05T22:16:02Z");
  private static final TaskSpec SPEC =
      HiveTestKit.task(
          "code and review",
          Priority.MEDIUM,
          HiveTestKit.needs("code", 0.2),
          HiveTestKit.needs("review", 0.4));

  @Test
  void aDecisionJournaledAfterALaterRunsOutcomeIsScoredOnTheRecordItSaw() {
    DecisionReplay.Report report = replay(0L);
    assertEquals(2, report.decisions(), report.toString());
    assertEquals(0, report.notReproducible(), report.toString());
    assertEquals(0, report.differing(), report.toString());
  }

  @Test
  void withoutTheRecordedCountsSuchADecisionIsReportedNotReproducible() {
    // events written before candidates recorded their ended attempts
    DecisionReplay.Report report = replay(null);
    assertEquals(1, report.notReproducible(), report.toString());
    assertTrue(
        report.unreproducible().get(0).why().contains("0.425"), report.unreproducible().toString());
  }

  /** The journal of the race; {@code outcomes}: what B's reason recorded for the apprentice. */
  private static DecisionReplay.Report replay(Long outcomes) {
    List<HiveEventFeed.FeedEvent> journal = new ArrayList<>();
    agent(journal, "apprentice", new Capability("code", 0.3, 0.5), fixed("review", 0.5));
    agent(journal, "generalist", fixed("code", 0.85), fixed("review", 0.85));
    task(journal, "task-b", new TaskEvent.TaskSubmitted("task-b", SPEC, T, "test"));
    task(journal, "task-a", new TaskEvent.TaskSubmitted("task-a", SPEC, T, "test"));
    // decided second, journaled first: only the apprentice was idle
    task(
        journal,
        "task-a",
        new TaskEvent.TaskStarted(
            "apprentice",
            1,
            T,
            new AssignmentReason(
                "p", 1, List.of(new Candidate("apprentice", 0.4, 0L)), "apprentice", 0.4)));
    task(
        journal,
        "task-a",
        new TaskEvent.TaskCompleted(
            1,
            new TaskResult(true, null, null, 5, null),
            T,
            new AgentOutcome("apprentice", 5, 0, List.of(new LearningChange("code", 0.3, 0.35)))));
    // decided first, with the apprentice's record from before task A
    task(
        journal,
        "task-b",
        new TaskEvent.TaskStarted(
            "generalist",
            1,
            T,
            new AssignmentReason(
                "p",
                2,
                List.of(
                    new Candidate("generalist", 0.85, 0L),
                    new Candidate("apprentice", 0.4, outcomes)),
                "generalist",
                0.85)));
    DecisionReplay.Tally tally =
        new DecisionReplay.Tally(new HiveFold(3), null, null, ScoringPolicy.current());
    journal.forEach(tally::apply);
    return tally.report();
  }

  private static Capability fixed(String name, double proficiency) {
    return new Capability(name, proficiency, 0.0);
  }

  private static void agent(List<HiveEventFeed.FeedEvent> journal, String id, Capability... caps) {
    var spec = new AgentSpec(id, "worker", List.of(caps), SkillRef.named("noop"));
    add(journal, "Agent", id, new AgentRegistered(id, spec, T, "test"));
  }

  private static void task(List<HiveEventFeed.FeedEvent> journal, String id, TaskEvent event) {
    add(journal, "Task", id, event);
  }

  private static void add(
      List<HiveEventFeed.FeedEvent> journal, String kind, String id, Object payload) {
    long offset = journal.size() + 1;
    journal.add(
        new HiveEventFeed.FeedEvent(
            offset, kind, id, offset, payload.getClass().getSimpleName(), T, payload));
  }
}
