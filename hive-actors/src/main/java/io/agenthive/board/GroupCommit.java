package io.agenthive.board;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Events the board has decided on but not yet journaled, with what to do once they are. The
 * board is one actor, so persisting each event on its own would cap it at one journal round trip
 * per event; collecting everything decided while the previous write was in flight and writing it
 * in one {@code persistAll} (a group commit) makes the cost per batch instead.
 */
final class GroupCommit {
  private final List<BoardEvent> events = new ArrayList<>();
  private final List<Runnable> afterWrite = new ArrayList<>();
  private final Set<String> queuedTaskIds = new HashSet<>();

  void add(BoardEvent event, Runnable then) {
    events.add(event);
    afterWrite.add(then);
    if (event instanceof BoardEvent.TaskQueued q) {
      queuedTaskIds.add(q.taskId());
    }
  }

  /** True when a {@code TaskQueued} for this task waits in the batch. */
  boolean queues(String taskId) {
    return queuedTaskIds.contains(taskId);
  }

  int queuedCount() {
    return queuedTaskIds.size();
  }

  boolean isEmpty() {
    return events.isEmpty();
  }

  /** Hands over the batch and starts a new one. */
  Batch drain() {
    Batch batch = new Batch(List.copyOf(events), List.copyOf(afterWrite));
    events.clear();
    afterWrite.clear();
    queuedTaskIds.clear();
    return batch;
  }

  record Batch(List<BoardEvent> events, List<Runnable> afterWrite) {}
}
