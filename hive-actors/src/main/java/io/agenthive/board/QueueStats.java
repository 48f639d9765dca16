package io.agenthive.board;

import io.agenthive.routing.RoutingPolicy.PendingTask;
import io.agenthive.task.Priority;
import java.util.EnumMap;
import java.util.Map;

/** Queue depth per priority, every priority present (zero when empty). */
final class QueueStats {
  private QueueStats() {}

  static Map<Priority, Integer> byPriority(BoardState state) {
    Map<Priority, Integer> counts = new EnumMap<>(Priority.class);
    for (Priority p : Priority.values()) {
      counts.put(p, 0);
    }
    for (PendingTask t : state.pending().values()) {
      counts.merge(t.priority(), 1, Integer::sum);
    }
    return counts;
  }
}
