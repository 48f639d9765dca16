package io.agenthive.persistence;

import akka.actor.typed.ActorSystem;
import akka.stream.javadsl.Sink;
import io.agenthive.agent.Agent;
import io.agenthive.agent.AgentEvent;
import io.agenthive.routing.ScoringPolicy;
import io.agenthive.task.AssignmentReason;
import io.agenthive.task.AssignmentReason.Candidate;
import io.agenthive.task.RequiredCapability;
import io.agenthive.task.Task;
import io.agenthive.task.TaskEvent;
import io.agenthive.task.TaskEvent.TaskStarted;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Re-runs the hive's routing decisions from the journal alone: the hive is folded event by event
 * ({@link HiveFold}), and at each {@link TaskStarted} with a reason, the agents' proficiencies as
 * the journal had them just before it are scored again: each candidate's record with as many ended
 * attempts as the decision recorded for it ({@link ScoredRecords}).
 *
 * <ul>
 *   <li>Under today's policy each recorded candidate's score must come out as recorded: otherwise
 *       the journal does not show what the matcher saw, and the decision is reported as not
 *       reproducible (with the two scores) instead of being compared.
 *   <li>Under the proposed policy the best of the recorded candidates is chosen (a tie keeps the
 *       recorded order, which is the matcher's least-recently-busy order among equal scores); a
 *       different winner is a difference, explained by both agents' score inputs and weights.
 * </ul>
 *
 * A reason lists only the best {@code hive.routing.max-candidates-in-reason} of the agents that
 * qualified, and which idle agents were not listed is not journaled: where more qualified than were
 * listed, only the listed ones are compared, and the report counts those decisions.
 */
public final class DecisionReplay {
  /** How many differences and unreproducible decisions a report lists (all are counted). */
  public static final int LISTED = 100;

  private static final double SAME_SCORE = 1e-9;

  /** One agent of a decision under a policy: its score and what it is made of. */
  public record Scored(String agentId, double score, String inputs) {}

  /**
   * A decision the proposed policy makes differently: the agent chosen then (with the score it was
   * chosen with), and that agent and the proposed policy's pick, both scored by the proposal.
   */
  public record Difference(
      String taskId,
      int attempt,
      long offset,
      Instant at,
      double recordedScore,
      Scored recorded,
      Scored proposed) {}

  /** A decision whose recorded scores the journal's proficiencies do not give. */
  public record Unreproducible(String taskId, int attempt, long offset, Instant at, String why) {}

  public record Report(
      String policy,
      long decisions,
      long differing,
      long notReproducible,
      long partlyListed,
      long lastOffset,
      List<Difference> differences,
      List<Unreproducible> unreproducible) {}

  private final ActorSystem<?> system;
  private final HiveEventFeed feed;

  public DecisionReplay(ActorSystem<?> system, HiveEventFeed feed) {
    this.system = system;
    this.feed = feed;
  }

  /** Decisions made in {@code [from, to]} (either may be null: no bound). */
  public CompletionStage<Report> replay(Instant from, Instant to, ScoringPolicy proposed) {
    // journal order follows write time closely but not exactly: read a little past the end
    Instant readUntil = to == null ? null : to.plusSeconds(1);
    Tally tally = new Tally(new HiveFold(HiveFold.crashMemory(system)), from, to, proposed);
    return feed.after(0, false)
        .takeWhile(e -> readUntil == null || !e.timestamp().isAfter(readUntil))
        .runWith(Sink.fold(tally, Tally::apply), system)
        .thenApply(Tally::report);
  }

  static final class Tally {
    final HiveFold fold;
    final Instant from;
    final Instant to;
    final ScoringPolicy proposed;
    final ScoringPolicy current = ScoringPolicy.current();
    final ScoredRecords records = new ScoredRecords();
    final List<Difference> differences = new ArrayList<>();
    final List<Unreproducible> unreproducible = new ArrayList<>();
    long decisions;
    long differing;
    long notReproducible;
    long partlyListed;

    Tally(HiveFold fold, Instant from, Instant to, ScoringPolicy proposed) {
      this.fold = fold;
      this.from = from;
      this.to = to;
      this.proposed = proposed;
    }

    Tally apply(HiveEventFeed.FeedEvent e) {
      if (e.payload() instanceof TaskStarted started
          && started.reason() != null
          && !started.reason().candidates().isEmpty()
          && (from == null || !started.at().isBefore(from))
          && (to == null || !started.at().isAfter(to))) {
        check(e, started); // before the event is applied: the hive as the decision found it
      }
      fold.apply(e);
      if (e.payload() instanceof TaskEvent te && te.agentOutcome() != null) {
        records.note(fold.agents.get(te.agentOutcome().agentId()));
      } else if (e.payload() instanceof AgentEvent) {
        records.note(fold.agents.get(e.entityId()));
      }
      return this;
    }

    private void check(HiveEventFeed.FeedEvent e, TaskStarted started) {
      Task task = fold.tasks.get(e.entityId());
      if (task == null || task.spec() == null) {
        notReproducible(e, started, "its submission is not in the journal before it");
        return;
      }
      List<RequiredCapability> reqs = task.spec().requirementsFor(started.attempt());
      AssignmentReason reason = started.reason();
      // each candidate's proficiencies as the matcher scored them
      Map<String, Map<String, Double>> scored = new LinkedHashMap<>();
      for (Candidate c : reason.candidates()) {
        Agent agent = fold.agents.get(c.agentId());
        if (agent == null) {
          notReproducible(e, started, "candidate " + c.agentId() + " is not registered before it");
          return;
        }
        Map<String, Double> proficiencies = records.asScored(agent, c.outcomes());
        double again = current.score(proficiencies, reqs);
        if (Math.abs(again - c.score()) > SAME_SCORE) {
          notReproducible(
              e,
              started,
              "the journal gives candidate "
                  + c.agentId()
                  + " "
                  + current.explain(proficiencies, reqs)
                  + ", the decision recorded "
                  + c.score());
          return;
        }
        scored.put(agent.id(), proficiencies);
      }
      if (fold.agents.get(reason.winner()) == null) {
        notReproducible(
            e, started, "its winner " + reason.winner() + " is not registered before it");
        return;
      }
      decisions++;
      if (reason.qualified() > scored.size()) {
        partlyListed++;
      }
      String best = null;
      double bestScore = 0;
      for (var candidate : scored.entrySet()) {
        double score = proposed.score(candidate.getValue(), reqs);
        if (best == null || score > bestScore) {
          best = candidate.getKey();
          bestScore = score;
        }
      }
      if (best == null || best.equals(reason.winner())) {
        return;
      }
      differing++;
      if (differences.size() < LISTED) {
        Map<String, Double> winner =
            scored.getOrDefault(reason.winner(), fold.agents.get(reason.winner()).proficiencies());
        differences.add(
            new Difference(
                e.entityId(),
                started.attempt(),
                e.offset(),
                started.at(),
                reason.winnerScore(),
                new Scored(
                    reason.winner(), proposed.score(winner, reqs), proposed.explain(winner, reqs)),
                new Scored(best, bestScore, proposed.explain(scored.get(best), reqs))));
      }
    }

    private void notReproducible(HiveEventFeed.FeedEvent e, TaskStarted started, String why) {
      notReproducible++;
      if (unreproducible.size() < LISTED) {
        unreproducible.add(
            new Unreproducible(e.entityId(), started.attempt(), e.offset(), started.at(), why));
      }
    }

    Report report() {
      return new Report(
          proposed.name(),
          decisions,
          differing,
          notReproducible,
          partlyListed,
          fold.offset,
          List.copyOf(differences),
          List.copyOf(unreproducible));
    }
  }
}
