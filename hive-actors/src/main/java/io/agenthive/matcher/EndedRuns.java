package io.agenthive.matcher;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Runs whose agent said they ended before their task's outcome reached the matcher. The two come
 * from different senders (the agent frees its slot, the task entity reports the outcome it
 * journaled, with what the attempt taught the agent), so either may arrive first. Were the slot
 * freed at once, the next decision could score the agent on proficiencies one outcome old, which
 * {@code ./hive replay-decisions} showed: the journal before the decision holds the newer ones. So
 * the slot stays taken until the outcome arrives, or for {@link #WAIT} at most (an outcome lost on
 * the way; the task's lease then finds where it stands).
 */
final class EndedRuns {
  // far above the few milliseconds between the two messages, even on a loaded machine; below the
  // lease (15 s), after which the task's lease asks where it stands
  static final Duration WAIT = Duration.ofSeconds(10);

  private record Ended(String agentId, Instant at) {}

  private final Map<String, Ended> byTask = new HashMap<>();

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
