package io.agenthive.persistence;

import akka.actor.typed.ActorSystem;
import akka.stream.RestartSettings;
import akka.stream.javadsl.RestartSource;
import akka.stream.javadsl.Sink;
import io.agenthive.task.Priority;
import io.agenthive.task.TaskEvent;
import io.agenthive.task.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * An in-memory read model of every task's status, priority and agent, kept current from the
 * journal's event feed. Lists, counts and rates read it instead of asking every task entity.
 * Memory is a small row per task. It is rebuilt from the journal at start-up (so it is eventually
 * consistent: a task appears about one read-journal poll after it is journaled); the read-side
 * projections of the audit issue are meant to replace it with tables that resume from an offset.
 */
public final class TaskReadModel {
  /** What lists filter and sort on. {@code order} is the task's first offset: creation order. */
  public record Row(String id, long order, TaskStatus status, Priority priority, String agentId,
      Instant createdAt) {}

  private static final Duration RATE_WINDOW = Duration.ofMinutes(1);
  private final Map<String, Row> rows = new ConcurrentHashMap<>();
  private final ConcurrentSkipListMap<Long, String> byOrder = new ConcurrentSkipListMap<>();
  private final ConcurrentLinkedDeque<Instant> completions = new ConcurrentLinkedDeque<>();
  private final AtomicLong offset = new AtomicLong();

  /** Starts following the journal from its beginning; restarts with backoff if a read fails. */
  public static TaskReadModel start(ActorSystem<?> system, HiveEventFeed feed) {
    TaskReadModel model = new TaskReadModel();
    RestartSource.withBackoff(
            RestartSettings.create(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2),
            () -> feed.after(model.offset.get(), true))
        .filter(e -> e.payload() instanceof TaskEvent)
        .runWith(Sink.foreach(model::apply), system);
    return model;
  }

  void apply(HiveEventFeed.FeedEvent e) {
    offset.set(e.offset());
    String id = e.entityId();
    Row row = rows.get(id);
    TaskEvent event = (TaskEvent) e.payload();
    if (event instanceof TaskEvent.TaskSubmitted s) {
      if (row == null) {
        byOrder.put(e.offset(), id);
        rows.put(id, new Row(id, e.offset(), TaskStatus.PENDING, s.spec().priority(), null,
            s.at()));
      }
      return;
    }
    if (row == null) {
      return;
    }
    TaskStatus status = row.status();
    String agent = row.agentId();
    if (event instanceof TaskEvent.TaskAssigned a) {
      status = TaskStatus.ASSIGNED;
      agent = a.agentId();
    } else if (event instanceof TaskEvent.TaskStarted) {
      status = TaskStatus.RUNNING;
    } else if (event instanceof TaskEvent.TaskCompleted c) {
      status = TaskStatus.COMPLETED;
      completions.add(c.at());
    } else if (event instanceof TaskEvent.TaskFailed f) {
      status = f.willRetry() ? TaskStatus.PENDING : TaskStatus.FAILED;
    } else if (event instanceof TaskEvent.TaskTimedOut t) {
      status = t.willRetry() ? TaskStatus.PENDING : TaskStatus.FAILED;
    } else if (event instanceof TaskEvent.TaskCancelled) {
      status = TaskStatus.CANCELLED;
    } else if (event instanceof TaskEvent.TaskRetryRequested) {
      status = TaskStatus.PENDING;
    }
    rows.put(id, new Row(id, row.order(), status, row.priority(), agent, row.createdAt()));
  }

  /** Ids of matching tasks in creation order, after {@code cursor} (a task id), at most limit. */
  public Page page(Predicate<Row> filter, String cursor, int limit) {
    Row from = cursor == null ? null : rows.get(cursor);
    var tail = from == null ? byOrder : byOrder.tailMap(from.order(), false);
    List<String> ids = new ArrayList<>();
    boolean more = false;
    for (String id : tail.values()) {
      Row r = rows.get(id);
      if (r != null && filter.test(r)) {
        if (ids.size() == limit) {
          more = true;
          break;
        }
        ids.add(id);
      }
    }
    return new Page(ids, more && !ids.isEmpty() ? ids.get(ids.size() - 1) : null);
  }

  public record Page(List<String> ids, String nextCursor) {}

  /** The newest {@code n} task ids, newest first. */
  public List<String> newest(int n) {
    List<String> out = new ArrayList<>(n);
    for (String id : byOrder.descendingMap().values()) {
      if (out.size() == n) {
        break;
      }
      out.add(id);
    }
    return out;
  }

  public Map<TaskStatus, Long> countsByStatus() {
    Map<TaskStatus, Long> counts = new EnumMap<>(TaskStatus.class);
    for (TaskStatus s : TaskStatus.values()) {
      counts.put(s, 0L);
    }
    rows.values().forEach(r -> counts.merge(r.status(), 1L, Long::sum));
    return counts;
  }

  /** Completions per second over the last minute. */
  public double completionsPerSecond(Instant now) {
    Instant cutoff = now.minus(RATE_WINDOW);
    while (!completions.isEmpty() && completions.peekFirst().isBefore(cutoff)) {
      completions.pollFirst();
    }
    return completions.stream().filter(t -> !t.isBefore(cutoff)).count()
        / (double) RATE_WINDOW.toSeconds();
  }

  /** The journal offset applied last. */
  public long offset() {
    return offset.get();
  }
}
