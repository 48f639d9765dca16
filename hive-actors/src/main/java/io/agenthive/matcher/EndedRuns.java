package io.agenthive.matcher;

import io.agenthive.agent.Capability;
import io.agenthive.task.RequiredCapability;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Runs whose agent said they ended before their task's outcome reached the matcher. The two come
 * from different senders (the agent frees its slot as its run ends, the task entity reports the
 * outcome once it journaled it, with what the attempt taught the agent), so the slot usually comes
 * first, a journal write ahead. Were the slot freed at once, the next decision could score the
 * agent on proficiencies one outcome old, which {@code ./hive replay-decisions} showed: the journal
 * before the decision holds the newer ones. So the slot stays taken until the outcome arrives, or
 * for {@link #WAIT} at most (an outcome lost on the way; the task's lease then finds where it
 * stands).
 */
final class EndedRuns {
  // far above the few milliseconds between the two messages, even on a loaded machine; below the
  // lease (15 s), after which the task's lease asks where it stands
  static final Duration WAIT = Duration.ofSeconds(10);

  private record Ended(String agentId, Instant at) {}

  private final Map<String, Ended> byTask = new HashMap<>();

  /**
   * Whether the run's outcome can change what the agent is scored on: it has one of the task's
   * required capabilities with a learning rate above 0. Otherwise the slot is free at once, as the
   * outcome brings nothing a decision reads (a fixed-proficiency fleet pays nothing for this).
   */
  static boolean canLearn(AgentProfile agent, List<RequiredCapability> requirements) {
    if (agent == null) {
      return false;
    }
    for (Capability c : agent.agent().capabilities()) {
      if (c.learningRate() > 0) {
        for (RequiredCapability rc : requirements) {
          if (rc.name().equals(c.name())) {
            return true;
          }
        }
      }
    }
    return false;
  }

  void ended(String taskId, String agentId, Instant now) {
    byTask.put(taskId, new Ended(agentId, now));
  }

  /** The task's outcome arrived: the agent whose slot it held, if the run had ended before. */
  String outcomeArrived(String taskId) {
    Ended e = byTask.remove(taskId);
    return e == null ? null : e.agentId();
  }

  /** Runs whose outcome has not come within {@link #WAIT}: task id and agent id, now forgotten. */
  List<Map.Entry<String, String>> overdue(Instant now) {
    if (byTask.isEmpty()) {
      return List.of();
    }
    List<Map.Entry<String, String>> out = new ArrayList<>();
    Instant before = now.minus(WAIT);
    for (Iterator<Map.Entry<String, Ended>> it = byTask.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Ended> e = it.next();
      if (e.getValue().at().isBefore(before)) {
        out.add(Map.entry(e.getKey(), e.getValue().agentId()));
        it.remove();
      }
    }
    return out;
  }
}
