package io.agenthive.matcher;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * When time alone changes a task (its {@code not_before}, {@code expires_at}, an approval's
 * timeout, a wait's instant): the hive's durable timers. They are not journaled here: each is a
 * function of its task's journaled state ({@code Task.wakeAt}), so the matcher rebuilds them with
 * the rest of its picture after a restart or a move, and hears each change with the task's status.
 * Firing tells the task entity to look; the entity re-checks against its journal, so a wake-up that
 * fires twice (a resend, a matcher that moved) journals once. Apart from matching: open approvals
 * and scheduled tasks cost a sorted entry each, nothing on the matching path.
 */
final class Wakeups {
  private record Entry(Instant at, String taskId) implements Comparable<Entry> {
    @Override
    public int compareTo(Entry o) {
      int c = at.compareTo(o.at);
      return c != 0 ? c : taskId.compareTo(o.taskId);
    }
  }

  private final TreeSet<Entry> byTime = new TreeSet<>();
  private final Map<String, Instant> byTask = new HashMap<>();

  /** {@code taskId} wakes at {@code at} (null: never, it is forgotten). */
  void set(String taskId, Instant at) {
    Instant old = at == null ? byTask.remove(taskId) : byTask.put(taskId, at);
    if (old != null) {
      byTime.remove(new Entry(old, taskId));
    }
    if (at != null) {
      byTime.add(new Entry(at, taskId));
    }
  }

  /** {@code taskId} wakes at {@code at} unless it already has a time. */
  void adopt(String taskId, Instant at) {
    if (!byTask.containsKey(taskId)) {
      set(taskId, at);
    }
  }

  /** The earliest wake-up, or null. */
  Instant next() {
    return byTime.isEmpty() ? null : byTime.first().at();
  }

  /**
   * Up to {@code max} tasks due at {@code now}; each stays, moved to {@code again}, in case its
   * entity did not act (it was moving, or the queue had no room): its change replaces the entry.
   */
  List<String> due(Instant now, Instant again, int max) {
    List<String> out = new ArrayList<>();
    while (!byTime.isEmpty() && out.size() < max && !byTime.first().at().isAfter(now)) {
      out.add(byTime.first().taskId());
      set(byTime.first().taskId(), again);
    }
    return out;
  }

  int size() {
    return byTask.size();
  }
}
