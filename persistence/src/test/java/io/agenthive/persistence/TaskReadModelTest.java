package io.agenthive.persistence;

import static org.junit.jupiter.api.Assertions.*;

import io.agenthive.task.Priority;
import io.agenthive.task.TaskEvent;
import io.agenthive.task.TaskResult;
import io.agenthive.task.TaskSpec;
import io.agenthive.task.TaskStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskReadModelTest {
  static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
  long offset;

  void feed(TaskReadModel model, String taskId, TaskEvent event) {
    model.apply(new HiveEventFeed.FeedEvent(++offset, "Task", taskId, 1,
        event.getClass().getSimpleName(), NOW, event));
  }

  static TaskSpec spec(Priority p) {
    return new TaskSpec("t", "", "general", p, List.of(), null, null, 3, 1000L, null);
  }

  @Test
  void followsEachTaskThroughItsLifecycleAndCountsByStatus() {
    TaskReadModel model = new TaskReadModel();
    feed(model, "a", new TaskEvent.TaskSubmitted("a", spec(Priority.HIGH), NOW));
    feed(model, "b", new TaskEvent.TaskSubmitted("b", spec(Priority.LOW), NOW));
    feed(model, "a", new TaskEvent.TaskAssigned("agent-1", 1, null, NOW));
    feed(model, "a", new TaskEvent.TaskStarted("agent-1", 1, NOW));
    feed(model, "a", new TaskEvent.TaskCompleted(1, new TaskResult(true, null, null, 1, 1.0),
        NOW));
    feed(model, "b", new TaskEvent.TaskAssigned("agent-2", 1, null, NOW));
    feed(model, "b", new TaskEvent.TaskFailed(1, "x", 1, true, NOW, NOW));

    var counts = model.countsByStatus();
    assertEquals(1L, counts.get(TaskStatus.COMPLETED));
    assertEquals(1L, counts.get(TaskStatus.PENDING), "a failure that will retry is pending");
    assertEquals(List.of("a"), model.page(r -> "agent-1".equals(r.agentId()), null, 10).ids());
    assertEquals(List.of("b", "a"), model.newest(5));
    assertEquals(1 / 60.0, model.completionsPerSecond(NOW.plusSeconds(1)), 1e-9);
    assertEquals(0.0, model.completionsPerSecond(NOW.plusSeconds(120)), 1e-9);
  }

  @Test
  void pagesFollowCreationOrderFromTheCursor() {
    TaskReadModel model = new TaskReadModel();
    for (String id : List.of("t1", "t2", "t3", "t4", "t5")) {
      feed(model, id, new TaskEvent.TaskSubmitted(id, spec(Priority.MEDIUM), NOW));
    }
    var first = model.page(r -> true, null, 2);
    assertEquals(List.of("t1", "t2"), first.ids());
    var second = model.page(r -> true, first.nextCursor(), 2);
    assertEquals(List.of("t3", "t4"), second.ids());
    var last = model.page(r -> true, second.nextCursor(), 2);
    assertEquals(List.of("t5"), last.ids());
    assertNull(last.nextCursor());
  }
}
