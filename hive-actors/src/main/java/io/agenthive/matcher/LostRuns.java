package io.agenthive.matcher;

import io.agenthive.task.TaskStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The matcher's runs that may have ended without a word: an agent that restarted, a start that got
 * no answer, a node that left the cluster (its agents' runs, and results its task entities may
 * never have recorded). Each such run is reported lost to its task entity, the only one who knows
 * where the task stands; until it answers, the task is neither queued nor out ({@code settling}).
 * Works on {@link Matching}'s own state, which hands it in.
 */
final class LostRuns {
  /** Why a run its agent no longer holds is lost, as the task's result says it. */
  static final String NOT_HELD =
      " no longer held the task when asked (it restarted, its node left, or the hand-over never"
          + " reached it)";

  private final Map<String, AgentProfile> agents;
  private final Map<String, Matching.Out> out;
  private final Map<String, PendingTasks.Entry> settling;
  private final PendingTasks pending;
  private final List<Matching.Action> actions;
  private final BiConsumer<AgentProfile, Runnable> update;
  private final HandOvers handOvers;

  LostRuns(
      Map<String, AgentProfile> agents,
      Map<String, Matching.Out> out,
      Map<String, PendingTasks.Entry> settling,
      PendingTasks pending,
      List<Matching.Action> actions,
      BiConsumer<AgentProfile, Runnable> update) {
    this.agents = agents;
    this.out = out;
    this.settling = settling;
    this.pending = pending;
    this.actions = actions;
    this.update = update;
    this.handOvers = new HandOvers(out);
  }

  /** {@code taskId} was handed to {@code agentId}: see {@link HandOvers}. */
  void handedOver(String taskId, String agentId, Instant now) {
    handOvers.sent(taskId, agentId, now);
  }

  /** {@code agentId} showed it has {@code taskId}: its start, or a report that it holds it. */
  void heardOf(String taskId, String agentId) {
    handOvers.confirmed(taskId, agentId);
  }

  /** Asks agents about hand-overs nothing confirmed in time; true when any is due. */
  boolean askUnconfirmed(Instant now) {
    List<Matching.ConfirmRuns> asks = handOvers.overdue(now);
    actions.addAll(asks);
    return !asks.isEmpty();
  }

  /** The agent restarted: whatever it had is lost. */
  void restarted(String agentId) {
    AgentProfile p = agents.get(agentId);
    if (p == null) {
      return;
    }
    List<String> had = List.copyOf(p.running());
    update.accept(p, () -> p.running().clear());
    had.forEach(t -> lost(t, agentId, "agent " + agentId + " restarted while running the task"));
  }

  /**
   * A node left the cluster: its agents' runs ended with it. Which agents lived there is sharding's
   * business, so every agent that runs something is asked what it still runs (the lost node's
   * agents answer from a fresh incarnation elsewhere: nothing). So is every agent whose run ended
   * (its slot is free) while no entity has recorded that end yet: if the task's entity lived on the
   * lost node, it comes back elsewhere still running, and nobody would tell it. Such an agent says
   * it still has the task while it still holds the result to deliver; one that holds nothing (it
   * was on the lost node, or its result was recorded meanwhile) has the task settled as lost, and
   * the entity, which alone knows, says where it stands.
   */
  void nodeLost() {
    Map<String, Set<String>> ask = new LinkedHashMap<>();
    agents
        .values()
        .forEach(
            p -> {
              if (!p.running().isEmpty()) {
                ask.computeIfAbsent(p.id(), a -> new HashSet<>()).addAll(p.running());
              }
            });
    out.forEach(
        (taskId, o) -> {
          AgentProfile p = agents.get(o.agentId());
          if (p == null || !p.running().contains(taskId)) {
            ask.computeIfAbsent(o.agentId(), a -> new HashSet<>()).add(taskId);
          }
        });
    ask.forEach(
        (agentId, tasks) -> actions.add(new Matching.ConfirmRuns(agentId, Set.copyOf(tasks))));
  }

  /**
   * Of {@code asked}, the agent still runs {@code still}; the rest are lost (it restarted, its node
   * left, or the hand-over never reached it). Without an answer ({@code unansweredSince}: when the
   * question was asked, null when the agent answered), a task heard of since (its start, the
   * agent's report) is not lost: the question's deadline must not settle what was confirmed
   * meanwhile. Returns the tasks settled as lost.
   */
  List<String> runsConfirmed(
      String agentId, Set<String> asked, Set<String> still, Instant unansweredSince) {
    AgentProfile p = agents.get(agentId);
    List<String> settled = new ArrayList<>();
    for (String t : asked) {
      Matching.Out o = out.get(t);
      boolean heardSince =
          unansweredSince != null && o != null && o.heard().isAfter(unansweredSince);
      if (still.contains(t) || heardSince) {
        handOvers.confirmed(t, agentId);
        continue;
      }
      if (p != null && p.running().contains(t)) {
        update.accept(p, () -> p.running().remove(t));
      }
      if (lost(t, agentId, "agent " + agentId + NOT_HELD)) {
        settled.add(t);
      }
    }
    return settled;
  }

  /**
   * Tells the entity the attempt is lost; the task waits (neither queued nor out) until the entity
   * says where it stands: it may have started there, or never. Only while the task is still out to
   * that agent: a word about a run it handed back, or one handed out again, changes nothing
   * (false).
   */
  boolean lost(String taskId, String agentId, String why) {
    Matching.Out o = out.get(taskId);
    if (o == null || !o.agentId().equals(agentId)) {
      return false;
    }
    out.remove(taskId);
    settling.put(taskId, o.entry());
    actions.add(new Matching.SettleLost(taskId, agentId, why));
    return true;
  }

  /**
   * Whether the matcher still waits for the entity's word on {@code taskId}'s lost attempt. Once
   * the task's own change has come (it went back to the queue, or on), a report sent again would
   * meet the next attempt: with no attempt number in it, it would end that one, run by the same
   * agent.
   */
  boolean awaitingVerdict(String taskId) {
    return settling.containsKey(taskId);
  }

  /**
   * The entity's answer to a lost attempt: pending (the attempt failed, or never started) goes back
   * to the queue, not before its retry time; anything else leaves the matcher's hands.
   */
  void lostSettled(String taskId, TaskStatus status, Instant retryAt, Instant now) {
    PendingTasks.Entry e = settling.remove(taskId);
    if (e == null
        || status != TaskStatus.PENDING
        || pending.contains(taskId)
        || out.containsKey(taskId)) {
      return;
    }
    e.notBefore = retryAt;
    pending.add(e, now);
  }
}
