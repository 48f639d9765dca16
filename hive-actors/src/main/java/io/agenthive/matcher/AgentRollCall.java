package io.agenthive.matcher;

import io.agenthive.agent.AgentState;
import io.agenthive.task.AssignmentReason;
import io.agenthive.task.RequiredCapability;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The agents that have not said they are up since the matcher started on a node of a cluster, or
 * since a node left. An agent whose node was lost comes back only once sharding has moved its
 * shard: a task handed to it waits for that (about half a second in {@code ./hive bench failover},
 * more on a loaded hive), where an agent that has answered runs it at once. So while the roll call
 * is open, the matcher prefers agents that answered; it never waits for one ({@link Matching}). The
 * call closes when every agent has answered, or after {@link #WINDOW}: an agent that stays silent
 * (its node's journal slow, say) is then chosen as any other.
 */
final class AgentRollCall {
  static final Duration WINDOW = Duration.ofSeconds(10);

  // each agent passed by widens the next choice's walk by one: the bound keeps a hive of thousands
  // of agents that have not answered yet from making every choice a walk of all of them
  static final int MAX_PASSED = 8;

  private final Set<String> unheard = new HashSet<>();
  private Instant closesAt = Instant.MIN;

  // a hive of 100 000 agents, all busy lately, is asked about its most recent ones only
  static final int MAX_CALLED = 10_000;

  /**
   * Opens a call (a new call replaces an open one) of the agents that can work and were active
   * within {@code recent} (the agents' idle time before they leave memory), or run something: the
   * ids to ask. Agents idle longer are not in memory anyway; whichever of them is chosen starts
   * where sharding puts it, so waking them all would only cost their recoveries.
   */
  List<String> open(Collection<AgentProfile> agents, Duration recent, Instant now) {
    long since = now.minus(recent).toEpochMilli();
    List<AgentProfile> called = new ArrayList<>();
    for (AgentProfile p : agents) {
      if (p.agent().state() != AgentState.RETIRED && lastActive(p) >= since) {
        called.add(p);
      }
    }
    if (called.size() > MAX_CALLED) {
      called.sort(Comparator.comparingLong(AgentRollCall::lastActive).reversed());
      called = called.subList(0, MAX_CALLED);
    }
    unheard.clear();
    called.forEach(p -> unheard.add(p.id()));
    closesAt = now.plus(WINDOW);
    return List.copyOf(unheard);
  }

  private static long lastActive(AgentProfile p) {
    if (!p.running().isEmpty()) {
      return Long.MAX_VALUE;
    }
    Instant journaled = p.agent().lastActiveAt();
    return Math.max(p.lastBusyAt(), journaled == null ? Long.MIN_VALUE : journaled.toEpochMilli());
  }

  /** The agent said something, so it is up wherever its shard lives now. */
  void heard(String agentId) {
    unheard.remove(agentId);
  }

  /** Whether the open call still waits for {@code agentId}'s answer. */
  boolean waitsFor(String agentId, Instant now) {
    if (unheard.isEmpty()) {
      return false;
    }
    if (!now.isBefore(closesAt)) {
      unheard.clear();
      return false;
    }
    return unheard.contains(agentId);
  }

  /**
   * {@code choice}, whose winner this call waits for, or the best qualifying free agent that
   * answered: agents passed by are named in its reason, beside {@code avoided} (the task's own, a
   * map of its own to add to). When none that answered is free, the best of the rest: a task never
   * waits for an answer.
   */
  FreeAgents.Choice preferAnswered(
      FreeAgents.Choice choice,
      FreeAgents free,
      List<RequiredCapability> requirements,
      Map<String, String> avoided,
      Instant now) {
    for (int i = 0; i < MAX_PASSED; i++) {
      String winner = choice.agent().id();
      if (avoided.containsKey(winner) || !waitsFor(winner, now)) {
        break; // it answered, or every qualifying free agent is passed by
      }
      avoided.put(winner, AssignmentReason.NOT_HEARD_FROM);
      choice = free.chooseAvoiding(requirements, avoided);
    }
    return choice;
  }
}
