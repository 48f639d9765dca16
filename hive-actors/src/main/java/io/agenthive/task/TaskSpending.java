package io.agenthive.task;

import java.util.List;

/**
 * Where a task entity reports what its attempts spent (tokens), once they are journaled: the hive
 * wires the budget ledger in here, so this package does not depend on the budgets'. Fire and
 * forget, like the queue's changes.
 */
public interface TaskSpending {
  TaskSpending NONE = (after, events) -> {};

  /** {@code events} were just journaled and made {@code after}. */
  void journaled(Task after, List<TaskEvent> events);
}
