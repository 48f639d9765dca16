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
 * The agents that have not said they are up since the matcher started in a cluster, or since a node
 * left. An agent whose node was lost comes back only once sharding has moved its shard: a task
 * handed to it waits for that (about half a second in {@code ./hive bench failover}, more on a
 * loaded hive), where an agent that has answered runs it at once. So while the roll call is open,
 * the matcher prefers agents that answered. Agents that are up answer within milliseconds, so for
 * the first {@link #GRACE} a task none of whose best agents has answered yet waits for the answers
 * (a task admitted while the matcher was starting would otherwise be handed out before any could
 * come); after that it never waits for one. The call closes when every agent called has answered,
 * or after {@link #WINDOW}: an agent that stays silent (its node's journal slow, say) is then
 * chosen as any other.
 */
final class AgentRollCall {
  static final Duration WINDOW = Duration.ofSeconds(10);
  static final Duration GRACE = Duration.ofMillis(250);

  // as many as an assignment's reason names: each one passed by costs the choice another walk of
  // the qualifying agents' index
  static final int MAX_PASSED = AssignmentReason.MAX_SKIPPED;

  // a hive of 100 000 agents, all busy lately, is asked about its most recent ones only
  static final int MAX_CALLED = 10_000;

  private final Set<String> unheard = new HashSet<>();
  private Instant closesAt = Instant.MIN;
  private Instant graceEnds = Instant.MIN;

  /**
   * Opens a call (a new call replaces an open one) of the idle agents (the only ones that take
   * work) that were active within {@code recent} (the agents' idle time before they leave memory)
   * or run something: the ids to ask. Agents idle longer are not in memory anyway; whichever of
   * them is chosen starts where sharding puts it, so waking them all would only cost recoveries.
   */
  List<String> open(Collection<AgentProfile> agents, Duration recent, Instant now) {
    long since = now.minus(recent).toEpochMilli();
    List<AgentProfile> called = new ArrayList<>();
    for (AgentProfile p : agents) {
      if (p.agent().state() == AgentState.IDLE && lastActive(p) >= since) {
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
    graceEnds = now.plus(GRACE);
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

  /** Whether tasks none of whose best agents has answered wait now (the call's first moments). */
  boolean holding(Instant now) {
    return !unheard.isEmpty() && now.isBefore(graceEnds);
  }

  /**
   * Whether the open call still waits for {@code agentId}'s answer. A call whose window has passed
   * is closed here, by forgetting whom it waited for.
   */
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
   * The best free agent for a class whose head is {@code head}: passing by its failed attempts'
   * agents and its consensus siblings' when others qualify, and while a call is open the agents it
   * waits for, when one of the next {@link #MAX_PASSED} best has answered. Otherwise, during the
   * {@link #GRACE}, null (the task waits for the answers), and after it the choice without the
   * call. Null as well when no free agent qualifies.
   */
  FreeAgents.Choice choose(
      FreeAgents free,
      SpreadGroups spread,
      List<RequiredCapability> requirements,
      PendingTasks.Entry head,
      Instant now) {
    FreeAgents.Choice first =
        head.spreadGroup == null
            ? free.choose(requirements, head.failedOn)
            : free.chooseAvoiding(requirements, spread.avoidFor(head));
    if (first == null || !waitsFor(first.agent().id(), now)) {
      return first; // the usual case: no call open, or its winner answered it
    }
    Map<String, String> avoided = spread.avoidFor(head); // a map of its own, to add to
    FreeAgents.Choice passed = first;
    for (int i = 0; i < MAX_PASSED; i++) {
      avoided.put(passed.agent().id(), AssignmentReason.NOT_HEARD_FROM);
      FreeAgents.Choice next = free.chooseAvoiding(requirements, avoided);
      if (avoided.containsKey(next.agent().id())) {
        // every other qualifying free agent is passed by already, and this fallback would not
        // respect the task's own avoidances: the first choice did
        return holding(now) ? null : first;
      }
      if (!waitsFor(next.agent().id(), now)) {
        return next;
      }
      passed = next;
    }
    return holding(now) ? null : first;
  }
}
