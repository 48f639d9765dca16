package io.agenthive.matcher;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The leases on tasks handed out: an agent renews them by saying which tasks it holds, and a task
 * whose agent stays silent for a lease is reported lost to its entity. This is how the matcher
 * learns of runs that ended without a word (a node gone, a restart, a hand-over that never
 * arrived). Works on {@link Matching}'s own state, which hands it in.
 */
final class Leases {
  private final Map<String, AgentProfile> agents;
  private final Map<String, Matching.Out> out;
  private final LostRuns lostRuns;
  private final BiConsumer<AgentProfile, Runnable> update;

  Leases(
      Map<String, AgentProfile> agents,
      Map<String, Matching.Out> out,
      LostRuns lostRuns,
      BiConsumer<AgentProfile, Runnable> update) {
    this.agents = agents;
    this.out = out;
    this.lostRuns = lostRuns;
    this.update = update;
  }

  /**
   * The agent says it holds {@code taskIds} now (starting, running or settling them): their leases
   * are renewed. A slot the matcher still counts for a task that is neither held nor out any more
   * was freed without a word reaching the matcher (a lost message): it is free now. Returns the
   * tasks whose slot was freed so.
   */
  List<String> held(String agentId, Set<String> taskIds, Instant now) {
    for (String t : taskIds) {
      Matching.Out o = out.get(t);
      if (o != null && o.agentId().equals(agentId)) {
        out.put(t, new Matching.Out(o.entry(), agentId, now));
        lostRuns.heardOf(t, agentId);
      }
    }
    AgentProfile p = agents.get(agentId);
    if (p == null) {
      return List.of();
    }
    List<String> freed =
        p.running().stream().filter(t -> !taskIds.contains(t) && !outOn(t, agentId)).toList();
    if (!freed.isEmpty()) {
      update.accept(p, () -> freed.forEach(p.running()::remove));
    }
    return freed;
  }

  /** Whether {@code taskId} is out with {@code agentId} (not with another agent, nor settled). */
  private boolean outOn(String taskId, String agentId) {
    Matching.Out o = out.get(taskId);
    return o != null && o.agentId().equals(agentId);
  }

  /**
   * Tasks out with an agent that has not said it holds them for {@code lease}: its node is gone, it
   * restarted without a word, or the hand-over never reached it. Each is reported lost to its
   * entity (which alone knows whether it started); returns them.
   */
  List<Matching.Out> expire(Instant now, Duration lease) {
    List<Matching.Out> expired = new ArrayList<>();
    for (var e : List.copyOf(out.entrySet())) {
      if (e.getValue().heard().plus(lease).isBefore(now)) {
        expired.add(e.getValue());
        AgentProfile p = agents.get(e.getValue().agentId());
        if (p != null && p.running().contains(e.getKey())) {
          update.accept(p, () -> p.running().remove(e.getKey()));
        }
        lostRuns.lost(
            e.getKey(),
            e.getValue().agentId(),
            "agent "
                + e.getValue().agentId()
                + " did not say it held the task for "
                + lease.toSeconds()
                + " s (its lease)");
      }
    }
    return expired;
  }
}
