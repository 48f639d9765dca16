package io.agenthive.http;

import akka.actor.typed.ActorSystem;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import io.agenthive.common.FieldError;
import io.agenthive.hive.Hive;
import io.agenthive.persistence.readside.TaskViewQueries;
import io.agenthive.task.Priority;
import io.agenthive.task.Task;
import io.agenthive.task.TaskStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /api/tasks}: filters {@code status}, {@code priority}, {@code agent_id} applied to
 * the task view table; oldest first; only the page's tasks are then read from their entities, a few
 * at a time (bounded by {@code PARALLELISM}).
 */
final class TaskListing {
  private static final int PARALLELISM = 8;
  static final List<String> FILTERS = List.of("status", "priority", "agent_id");

  private TaskListing() {}

  static TaskViewQueries.Filter filter(Map<String, String> params) {
    List<FieldError> errors = new ArrayList<>();
    TaskStatus status = null;
    String rawStatus = params.get("status");
    if (rawStatus != null) {
      status = parse(TaskStatus.values(), rawStatus).orElse(null);
      if (status == null) {
        errors.add(new FieldError("status", "must be one of pending, assigned, running,"
            + " completed, failed, cancelled"));
      }
    }
    Priority priority = null;
    String rawPriority = params.get("priority");
    if (rawPriority != null) {
      priority = Priority.parse(rawPriority.toLowerCase(Locale.ROOT)).orElse(null);
      if (priority == null) {
        errors.add(new FieldError("priority", "must be one of low, medium, high, critical"));
      }
    }
    if (!errors.isEmpty()) {
      throw ApiError.invalid(errors);
    }
    return new TaskViewQueries.Filter(status, priority, params.get("agent_id"));
  }

  /** The tasks with these ids, in the same order, read from their entities a few at a time. */
  static CompletionStage<List<Task>> load(ActorSystem<?> system, Hive hive, List<String> ids) {
    return Source.from(ids)
        .mapAsync(PARALLELISM, hive::task)
        .filter(Optional::isPresent)
        .map(Optional::get)
        .runWith(Sink.seq(), system);
  }

  private static <E extends Enum<E>> Optional<E> parse(E[] values, String text) {
    for (E e : values) {
      if (e.name().equalsIgnoreCase(text)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }
}
