package io.agenthive.http.api;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpResponse;
import io.agenthive.common.FieldError;
import io.agenthive.http.json.ApiError;
import io.agenthive.http.json.Json;
import io.agenthive.persistence.readside.TaskViewQueries;
import io.agenthive.task.Priority;
import io.agenthive.task.TaskStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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

  // the page's fixed parts, around its tasks' renderings
  private static final byte[] ITEMS_OPEN = ascii("{\"items\":[");
  private static final byte[] NEXT_CURSOR = ascii("],\"next_cursor\":");
  private static final byte[] PREV_CURSOR = ascii(",\"prev_cursor\":");
  private static final byte[] TOTAL = ascii(",\"total\":");

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
   * row without a current rendering rendered here): no task is parsed or written field by field. A
   * stored rendering is copied as its UTF-8 bytes, not passed through a JSON generator's raw write,
   * which re-encodes it character by character: that was over half of a warm hub's CPU while it
   * answered {@code GET /api/tasks?limit=20} (a flight recording).
   */
  static HttpResponse response(TaskViewQueries.ListedPage page) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024 + 1400 * page.tasks().size());
    try {
      out.write(ITEMS_OPEN);
      boolean first = true;
      for (TaskViewQueries.Listed t : page.tasks()) {
        if (!first) {
          out.write(',');
        }
        first = false;
        out.write(
            t.json() != null
                ? t.json().getBytes(StandardCharsets.UTF_8)
                : Json.MAPPER.writeValueAsBytes(Views.task(t.task())));
      }
      out.write(NEXT_CURSOR);
      out.write(Json.MAPPER.writeValueAsBytes(page.cursors().next()));
      out.write(PREV_CURSOR);
      out.write(Json.MAPPER.writeValueAsBytes(page.cursors().previous()));
      out.write(TOTAL);
      out.write(Long.toString(page.total()).getBytes(StandardCharsets.US_ASCII));
      out.write('}');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return HttpResponse.create().withEntity(ContentTypes.APPLICATION_JSON, out.toByteArray());
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
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
