package io.agenthive.http.api;

import akka.actor.typed.ActorSystem;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import io.agenthive.common.FieldError;
import io.agenthive.http.guard.HttpSettings;
import io.agenthive.http.json.ApiError;
import io.agenthive.persistence.readside.ListWindow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * {@code limit} and {@code cursor} query parameters. The cursor is the id of the last item of the
 * previous page, so pages stay stable while items are added after it.
 */
public record Paging(int limit, String cursor) {
  /** Entities read at once when a page from a read table is filled in from its entities. */
  private static final int PARALLELISM = 8;

  /** The longest search a list takes: more is no longer a search for a title or a name. */
  static final int MAX_SEARCH = 200;

  static Paging from(Map<String, String> params, HttpSettings settings, List<String> filters) {
    return from(params, settings, filters, settings.maxPageSize());
  }

  /** The same with pages of at most {@code max} (a list whose every item costs an ask, say). */
  static Paging from(
      Map<String, String> params, HttpSettings settings, List<String> filters, int max) {
    List<FieldError> errors = new ArrayList<>();
    for (String name : params.keySet()) {
      if (!name.equals("limit") && !name.equals("cursor") && !filters.contains(name)) {
        errors.add(
            new FieldError(
                name,
                "is not a known query parameter; known: limit, cursor, "
                    + String.join(", ", filters)));
      }
    }
    int limit = Math.min(settings.defaultPageSize(), max);
    String raw = params.get("limit");
    if (raw != null) {
      try {
        limit = Integer.parseInt(raw);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > max) {
        errors.add(new FieldError("limit", "must be a whole number from 1 to " + max));
      }
    }
    if (!errors.isEmpty()) {
      throw ApiError.invalid(errors);
    }
    return new Paging(limit, params.get("cursor"));
  }

  /**
   * The page of a list that pages both ways: {@code order=newest} (the default) or {@code oldest},
   * {@code cursor} to read on, {@code before} to read back.
   */
  ListWindow window(Map<String, String> params) {
    return window(params, Map.of());
  }

  /**
   * The same, sorted by {@code sort} (one of {@code sorts}' names; creation order when absent):
   * {@code order=desc} (or {@code newest}, the default) puts the highest first, {@code asc} (or
   * {@code oldest}) the lowest; creation order breaks ties.
   */
  ListWindow window(Map<String, String> params, Map<String, String> sorts) {
    String order = params.getOrDefault("order", "newest");
    boolean descending = order.equals("newest") || order.equals("desc");
    if (!descending && !order.equals("oldest") && !order.equals("asc")) {
      throw ApiError.invalid(
          List.of(new FieldError("order", "must be newest or oldest (or desc or asc)")));
    }
    String sort = params.get("sort");
    if (sort != null && !sorts.containsKey(sort)) {
      throw ApiError.invalid(
          List.of(
              new FieldError(
                  "sort",
                  sorts.isEmpty()
                      ? "is not taken by this list"
                      : "must be one of " + String.join(", ", sorts.keySet()))));
    }
    String key = sort == null ? null : sorts.get(sort);
    return new ListWindow(descending, cursor, params.get("before"), limit, key);
  }

  /** The search {@code q}, at most {@link #MAX_SEARCH} characters; null when not given. */
  static String search(Map<String, String> params) {
    String q = params.get("q");
    if (q != null && q.length() > MAX_SEARCH) {
      throw ApiError.invalid(
          List.of(new FieldError("q", "must be at most " + MAX_SEARCH + " characters")));
    }
    return q;
  }

  <T, J> Views.Page<J> page(List<T> ordered, Function<T, String> id, Function<T, J> view) {
    int start = 0;
    if (cursor != null) {
      start = ordered.size();
      for (int i = 0; i < ordered.size(); i++) {
        if (id.apply(ordered.get(i)).equals(cursor)) {
          start = i + 1;
          break;
        }
      }
    }
    int end = Math.min(ordered.size(), start + limit);
    List<J> items = ordered.subList(start, end).stream().map(view).toList();
    String next = end < ordered.size() ? id.apply(ordered.get(end - 1)) : null;
    return new Views.Page<>(items, next);
  }

  /** The entities with these ids, in the same order, read a few at a time; unknown ids skipped. */
  static <T> CompletionStage<List<T>> load(
      ActorSystem<?> system,
      List<String> ids,
      Function<String, CompletionStage<Optional<T>>> read) {
    return Source.from(ids)
        .mapAsync(PARALLELISM, read::apply)
        .filter(Optional::isPresent)
        .map(Optional::get)
        .runWith(Sink.seq(), system);
  }
}
