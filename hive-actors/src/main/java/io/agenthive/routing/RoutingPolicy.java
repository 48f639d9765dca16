package io.agenthive.routing;

import io.agenthive.task.AssignmentReason;
import io.agenthive.task.Priority;
import io.agenthive.task.RequiredCapability;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The assignment policy as a pure function: which pending task goes to which idle agent. The
 * matcher's indexes make the same choices incrementally; this is their specification (a test holds
 * the two to the same assignments).
 *
 * <p>Tasks are served by effective priority (critical first; a task gains one rank per {@code
 * agingStep} it has waited, so low never starves), FIFO within a rank. A task goes only to an idle
 * agent meeting every minimum proficiency; among those the highest mean proficiency over the
 * required capabilities wins (0.5 when none are required); ties go to the least recently busy
 * agent, then the smaller id. A task nobody qualifies for is skipped and waits; tasks behind it may
 * still be served.
 */
public final class RoutingPolicy {
  public static final String NAME = "best-proficiency-v1";
  static final double NO_REQUIREMENT_SCORE = 0.5;

  private final Duration agingStep;
  private final int maxCandidatesInReason;

  public RoutingPolicy(Duration agingStep, int maxCandidatesInReason) {
    this.agingStep = agingStep;
    this.maxCandidatesInReason = maxCandidatesInReason;
  }

  /** A task waiting on the board. {@code sequence} is its FIFO position; later is larger. */
  public record PendingTask(
      String taskId,
      Priority priority,
      List<RequiredCapability> requirements,
      long sequence,
      Instant queuedAt,
      Instant notBefore) {}

  /** An agent free to take a task, with its current proficiencies by capability name. */
  public record IdleAgent(String agentId, Map<String, Double> proficiencies, Instant lastBusyAt) {}

  public record Assignment(String taskId, String agentId, AssignmentReason reason) {}

  public List<Assignment> assign(
      Collection<PendingTask> pending, Collection<IdleAgent> idle, Instant now) {
    Map<String, IdleAgent> free = new LinkedHashMap<>();
    idle.stream().sorted(leastRecentlyBusy()).forEach(a -> free.put(a.agentId(), a));
    List<Assignment> out = new ArrayList<>();
    if (free.isEmpty()) {
      return out;
    }
    List<PendingTask> ready = new ArrayList<>();
    for (PendingTask t : pending) {
      if (t.notBefore() == null || !t.notBefore().isAfter(now)) {
        ready.add(t);
      }
    }
    ready.sort(servingOrder(now));
    for (PendingTask task : ready) {
      if (free.isEmpty()) {
        break;
      }
      choose(task, free.values())
          .ifPresent(
              a -> {
                free.remove(a.agentId());
                out.add(a);
              });
    }
    return out;
  }

  /** Effective rank: the task's priority raised one step per aging step waited, capped at top. */
  public int effectiveRank(PendingTask task, Instant now) {
    return effectiveRank(task.priority(), task.queuedAt(), now);
  }

  /** The same, for a task of {@code priority} queued at {@code queuedAt}. */
  public int effectiveRank(Priority priority, Instant queuedAt, Instant now) {
    if (agingStep.isZero() || agingStep.isNegative()) {
      return priority.rank();
    }
    long waited = Duration.between(queuedAt, now).toMillis();
    long steps = Math.max(0, waited / agingStep.toMillis());
    return (int) Math.min(Priority.CRITICAL.rank(), priority.rank() + steps);
  }

  private Comparator<PendingTask> servingOrder(Instant now) {
    Comparator<PendingTask> byRank = Comparator.comparingInt(t -> -effectiveRank(t, now));
    return byRank.thenComparingLong(PendingTask::sequence);
  }

  private static Comparator<IdleAgent> leastRecentlyBusy() {
    return Comparator.comparing(IdleAgent::lastBusyAt).thenComparing(IdleAgent::agentId);
  }

  /**
   * The best qualified agent for the task, and the reason. Only the best few candidates are kept (a
   * bounded insertion, not a sort of every qualified agent: with 100 000 idle agents the sort made
   * one decision take ~70 ms). Agents come in least-recently-busy order and a later agent only goes
   * ahead of an earlier one with a strictly higher score, so ties keep that order.
   */
  private Optional<Assignment> choose(PendingTask task, Collection<IdleAgent> agents) {
    int keep = Math.max(1, maxCandidatesInReason);
    List<AssignmentReason.Candidate> top = new ArrayList<>(keep + 1);
    int qualified = 0;
    for (IdleAgent agent : agents) {
      if (!qualifies(agent, task.requirements())) {
        continue;
      }
      qualified++;
      double score = score(agent, task);
      if (top.size() == keep && score <= top.get(keep - 1).score()) {
        continue;
      }
      int at = top.size();
      while (at > 0 && top.get(at - 1).score() < score) {
        at--;
      }
      top.add(at, new AssignmentReason.Candidate(agent.agentId(), score));
      if (top.size() > keep) {
        top.remove(keep);
      }
    }
    if (qualified == 0) {
      return Optional.empty();
    }
    AssignmentReason.Candidate winner = top.get(0);
    List<AssignmentReason.Candidate> shown =
        List.copyOf(top.subList(0, Math.min(maxCandidatesInReason, top.size())));
    AssignmentReason reason =
        new AssignmentReason(NAME, qualified, shown, winner.agentId(), winner.score());
    return Optional.of(new Assignment(task.taskId(), winner.agentId(), reason));
  }

  /** True when the agent meets every minimum proficiency of the requirements. */
  public static boolean qualifies(IdleAgent agent, List<RequiredCapability> requirements) {
    for (RequiredCapability rc : requirements) {
      Double p = agent.proficiencies().get(rc.name());
      if (p == null || p < rc.minimumProficiency()) {
        return false;
      }
    }
    return true;
  }

  /** Mean proficiency over the required capabilities; 0.5 when none are required. */
  public static double fitness(Map<String, Double> proficiencies, List<RequiredCapability> reqs) {
    if (reqs.isEmpty()) {
      return NO_REQUIREMENT_SCORE;
    }
    double sum = 0;
    for (RequiredCapability rc : reqs) {
      sum += proficiencies.getOrDefault(rc.name(), 0.0);
    }
    return sum / reqs.size();
  }

  private static double score(IdleAgent agent, PendingTask task) {
    return fitness(agent.proficiencies(), task.requirements());
  }
}
