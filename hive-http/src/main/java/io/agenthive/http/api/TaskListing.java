package io.agenthive.http.api;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpResponse;
import com.fasterxml.jackson.core.JsonGenerator;
import io.agenthive.common.FieldError;
import io.agenthive.http.json.ApiError;
import io.agenthive.http.json.Json;
import io.agenthive.persistence.readside.TaskViewQueries;
import io.agenthive.task.Priority;
import io.agenthive.task.TaskStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /api/tasks}: filters {@code status}, {@code priority}, {@code agent_id} and the search
 * {@code q} applied to the task view table; {@code order=newest} (the default) or {@code oldest};
 * {@code cursor} pages on, {@code before} pages back.
 */
public final class TaskListing {
  static final List<String> FILTERS =
      List.of("status", "priority", "agent_id", "q", "order", "before", "sort");

  private TaskListing() {}

  static TaskViewQueries.Filter filter(Map<String, String> params) {
    List<FieldError> errors = new ArrayList<>();
    TaskStatus status = null;
    String rawStatus = params.get("status");
    if (rawStatus != null) {
      status = parse(TaskStatus.values(), rawStatus).orElse(null);
      if (status == null) {
        errors.add(
            new FieldError(
                "status",
                "must be one of pending, assigned, running," + " completed, failed, cancelled"));
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
    return new TaskViewQueries.Filter(
        status, priority, params.get("agent_id"), true, Paging.search(params));
  }

  /**
   * The page as {@link Views.ListPage} writes it, each task's JSON joined as its row stored it (a
   * row without a current rendering rendered here): no task is parsed or written field by field.
   */
  static HttpResponse response(TaskViewQueries.ListedPage page) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024 + 1400 * page.tasks().size());
    try (JsonGenerator g = Json.MAPPER.createGenerator(out)) {
      g.writeStartObject();
      g.writeArrayFieldStart("items");
      for (TaskViewQueries.Listed t : page.tasks()) {
        if (t.json() != null) {
          g.writeRawValue(t.json());
        } else {
          Json.MAPPER.writeValue(g, Views.task(t.task()));
        }
      }
      g.writeEndArray();
      g.writeStringField("next_cursor", page.cursors().next());
      g.writeStringField("prev_cursor", page.cursors().previous());
      g.writeNumberField("total", page.total());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return HttpResponse.create().withEntity(ContentTypes.APPLICATION_JSON, out.toByteArray());
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
