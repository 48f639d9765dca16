package io.agenthive.matcher;

import io.agenthive.routing.RoutingPolicy;
import io.agenthive.task.AssignmentReason;
import io.agenthive.task.RequiredCapability;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The agents with a free slot, indexed for choosing: per capability, best proficiency first; and
 * all of them, least recently busy first. Choosing for a task with one requirement (or none) is
 * O(log n) whatever the number of agents; with several it walks the qualifying agents of its rarest
 * requirement. Same choice as {@link RoutingPolicy}: the highest mean proficiency over the required
 * capabilities among agents meeting every minimum, ties to the least recently busy.
 */
final class FreeAgents {
  /** An agent as filed under {@code capability} (null: the all-agents index). */
  record Key(
      AgentProfile agent, String capability, double proficiency, long lastBusyAt, String id) {}

  private static final Comparator<Key> LEAST_RECENTLY_BUSY =
      Comparator.comparingLong(Key::lastBusyAt).thenComparing(Key::id);
  private static final Comparator<Key> BEST_FIRST =
      Comparator.comparingDouble(Key::proficiency).reversed().thenComparing(LEAST_RECENTLY_BUSY);

  /** The winner and why, for one task. */
  record Choice(AgentProfile agent, AssignmentReason reason) {}

  private final Map<String, RankedSet<Key>> byCapability = new HashMap<>();
  private final RankedSet<Key> all = new RankedSet<>(LEAST_RECENTLY_BUSY);
  private final int shownCandidates;

  FreeAgents(int shownCandidates) {
    this.shownCandidates = shownCandidates;
  }

  int size() {
    return all.size();
  }

  /** Files the agent (it must not be filed already). */
  void add(AgentProfile p) {
    long busy = p.lastBusyAt();
    Key any = new Key(p, null, RoutingPolicy.fitness(Map.of(), List.of()), busy, p.id());
    all.add(any);
    p.keys.add(any);
    p.proficiencies()
        .forEach(
            (capability, proficiency) -> {
              Key k = new Key(p, capability, proficiency, busy, p.id());
              byCapability.computeIfAbsent(capability, c -> new RankedSet<>(BEST_FIRST)).add(k);
              p.keys.add(k);
            });
  }

  /** Takes the agent out of every index it is filed under. */
  void remove(AgentProfile p) {
    for (Key k : p.keys) {
      if (k.capability() == null) {
        all.remove(k);
        continue;
      }
      RankedSet<Key> index = byCapability.get(k.capability());
      index.remove(k);
      if (index.isEmpty()) {
        byCapability.remove(k.capability());
      }
    }
    p.keys.clear();
  }

  /** The best free agent for these requirements, or null when none qualifies. */
  Choice choose(List<RequiredCapability> requirements) {
    return choose(requirements, null);
  }

  /**
   * The best free agent for these requirements that is not in {@code failedOn} (a retry's agents
   * that failed it); when every qualifying free agent is, the best of those: a retry never waits
   * for want of an untried agent. Null when none qualifies. With no {@code failedOn} this is the
   * plain choice; with it, the walk grows by its size only.
   */
  Choice choose(List<RequiredCapability> requirements, Set<String> failedOn) {
    if (failedOn == null || failedOn.isEmpty()) {
      return chooseAvoiding(requirements, Map.of());
    }
    Map<String, String> why = new LinkedHashMap<>();
    failedOn.forEach(id -> why.put(id, AssignmentReason.FAILED_BEFORE));
    return chooseAvoiding(requirements, why);
  }

  /**
   * Like {@link #choose(List, Set)}, with each agent to pass by ({@code avoided}) and why, as the
   * assignment's {@code skipped} shows it.
   */
  Choice chooseAvoiding(List<RequiredCapability> requirements, Map<String, String> avoided) {
    int avoid = avoided.size();
    Ranked ranked = ranked(requirements, Math.max(1, shownCandidates) + avoid);
    if (ranked == null) {
      return null;
    }
    if (avoid == 0) {
      return choice(ranked.top, ranked.qualified, requirements);
    }
    List<Key> untried = new ArrayList<>(ranked.top.size());
    List<AssignmentReason.Skipped> skipped = new ArrayList<>();
    for (Key k : ranked.top) {
      if (avoided.containsKey(k.id())) {
        if (skipped.size() < AssignmentReason.MAX_SKIPPED) {
          skipped.add(new AssignmentReason.Skipped(k.id(), avoided.get(k.id())));
        }
      } else {
        untried.add(k);
      }
    }
    // the top holds every avoided agent it ranks plus more: empty untried means none other is free
    if (untried.isEmpty()) {
      return choice(ranked.top, ranked.qualified, requirements);
    }
    Choice c = choice(untried, ranked.qualified, requirements);
    return new Choice(c.agent(), c.reason().withSkipped(skipped));
  }

  /** The best {@code keep} qualifying free agents, best first, and how many qualify in all. */
  private record Ranked(List<Key> top, int qualified) {}

  private Ranked ranked(List<RequiredCapability> requirements, int keep) {
    if (requirements.isEmpty()) {
      return best(all, all.size(), keep);
    }
    RankedSet<Key> rarest = null;
    int rarestCount = Integer.MAX_VALUE;
    for (RequiredCapability rc : requirements) {
      RankedSet<Key> index = byCapability.get(rc.name());
      int count =
          index == null ? 0 : index.countPrefix(k -> k.proficiency() >= rc.minimumProficiency());
      if (count < rarestCount) {
        rarest = index;
        rarestCount = count;
      }
    }
    if (rarestCount == 0) {
      return null;
    }
    if (requirements.size() == 1) {
      return best(rarest, rarestCount, keep);
    }
    return bestOfSeveral(rarest.firstK(rarestCount), requirements, keep);
  }

  /** One requirement (or none): the index order is the score order, so the first ones win. */
  private static Ranked best(RankedSet<Key> index, int qualified, int keep) {
    if (qualified == 0) {
      return null;
    }
    return new Ranked(index.firstK(Math.min(keep, qualified)), qualified);
  }

  /** Several requirements: scores are means, so every qualifying agent is scored. */
  private static Ranked bestOfSeveral(
      List<Key> candidates, List<RequiredCapability> reqs, int keep) {
    List<Key> top = new ArrayList<>(keep + 1);
    double[] scores = new double[keep + 1];
    int qualified = 0;
    for (Key k : candidates) {
      Map<String, Double> p = k.agent().proficiencies();
      if (!meetsAll(p, reqs)) {
        continue;
      }
      qualified++;
      double score = RoutingPolicy.fitness(p, reqs);
      int at = top.size();
      // a later agent goes ahead only with a strictly higher score or when busy less recently
      while (at > 0
          && (scores[at - 1] < score
              || scores[at - 1] == score && LEAST_RECENTLY_BUSY.compare(top.get(at - 1), k) > 0)) {
        at--;
      }
      if (at < keep) {
        System.arraycopy(scores, at, scores, at + 1, top.size() - at);
        scores[at] = score;
        top.add(at, k);
        if (top.size() > keep) {
          top.remove(keep);
        }
      }
    }
    return qualified == 0 ? null : new Ranked(top, qualified);
  }

  private static boolean meetsAll(Map<String, Double> p, List<RequiredCapability> reqs) {
    for (RequiredCapability rc : reqs) {
      Double v = p.get(rc.name());
      if (v == null || v < rc.minimumProficiency()) {
        return false;
      }
    }
    return true;
  }

  private Choice choice(List<Key> top, int qualified, List<RequiredCapability> reqs) {
    List<AssignmentReason.Candidate> shown = new ArrayList<>(Math.min(top.size(), shownCandidates));
    for (int i = 0; i < top.size() && i < shownCandidates; i++) {
      Key k = top.get(i);
      shown.add(
          new AssignmentReason.Candidate(
              k.id(),
              RoutingPolicy.fitness(k.agent().proficiencies(), reqs),
              k.agent().agent().experienceCount()));
    }
    Key winner = top.get(0);
    double score = RoutingPolicy.fitness(winner.agent().proficiencies(), reqs);
    return new Choice(
        winner.agent(),
        new AssignmentReason(
            RoutingPolicy.NAME, qualified, List.copyOf(shown), winner.id(), score));
  }
}
