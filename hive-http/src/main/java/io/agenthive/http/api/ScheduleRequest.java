package io.agenthive.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agenthive.common.FieldError;
import io.agenthive.http.json.ApiError;
import io.agenthive.http.json.JsonFields;
import io.agenthive.schedule.EveryDuration;
import io.agenthive.schedule.ScheduleSpec;
import io.agenthive.task.TaskSpec;
import io.agenthive.workflow.WorkflowSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code POST /api/schedules} and {@code PATCH /api/schedules/{name}} bodies. Defaults:
 * {@code timezone} UTC, {@code overlap} skip, {@code catch_up} none, {@code catch_up_window} 1h,
 * not paused. The task template takes the fields of {@code POST /api/tasks} except those a slot
 * sets or that name one moment or other tasks: {@code idempotency_key}, {@code deadline}, {@code
 * depends_on}, {@code on_dependency_failure}, {@code dataset}.
 */
final class ScheduleRequest {
  static final Set<String> FIELDS =
      Set.of(
          "name",
          "cron",
          "every",
          "timezone",
          "task",
          "workflow",
          "overlap",
          "catch_up",
          "catch_up_window",
          "paused");
  static final Set<String> TASK_FIELDS = taskFields();

  private ScheduleRequest() {}

  private static Set<String> taskFields() {
    Set<String> fields = new HashSet<>(TaskRequest.FIELDS);
    // a slot sets the key; a fixed instant or other tasks make no sense in a template
    fields.removeAll(
        Set.of(
            "idempotency_key",
            "deadline",
            "not_before",
            "expires_at",
            "depends_on",
            "on_dependency_failure",
            "dataset"));
    return Set.copyOf(fields);
  }

  /** A new schedule; every error names its field (task fields as {@code task.<field>}). */
  static ScheduleSpec parse(JsonNode body) {
    JsonFields f = JsonFields.of(body);
    f.rejectUnknown(FIELDS);
    ScheduleSpec spec = read(f);
    List<FieldError> errors = new ArrayList<>(f.errors());
    for (FieldError e : spec.validate()) {
      if (errors.stream()
          .noneMatch(x -> x.field().equals(e.field()) || x.field().startsWith(e.field() + "."))) {
        errors.add(e); // a field already named as malformed is not named again
      }
    }
    if (!errors.isEmpty()) {
      throw ApiError.invalid(errors);
    }
    return spec;
  }

  /** {@code patch} laid over the schedule as it is ({@code current}, in request form). */
  static ScheduleSpec merge(ObjectNode current, JsonNode patch, String name) {
    JsonFields f = JsonFields.of(patch);
    f.rejectUnknown(FIELDS);
    if (f.has("name") && !name.equals(f.raw("name").asText())) {
      f.error("name", "cannot be changed; create a schedule with the new name");
    }
    if (!f.errors().isEmpty()) {
      throw ApiError.invalid(f.errors());
    }
    ObjectNode merged = current.deepCopy();
    // cron and every replace each other: naming one drops the other
    if (patch.has("cron")) {
      merged.remove("every");
    } else if (patch.has("every")) {
      merged.remove("cron");
    }
    patch.fields().forEachRemaining(e -> merged.set(e.getKey(), e.getValue()));
    return parse(merged);
  }

  private static ScheduleSpec read(JsonFields f) {
    Duration every = null;
    if (f.has("every")) {
      Optional<Duration> d = EveryDuration.parse(f.string("every"));
      if (d.isEmpty()) {
        f.error("every", "must be a whole number and a unit (ms, s, m, h, d), e.g. 5m");
      }
      every = d.orElse(null);
    }
    Duration window = ScheduleSpec.DEFAULT_CATCH_UP_WINDOW;
    if (f.has("catch_up_window")) {
      window = EveryDuration.parse(f.string("catch_up_window")).orElse(null);
    }
    boolean paused = false;
    if (f.has("paused")) {
      JsonNode p = f.raw("paused");
      if (!p.isBoolean()) {
        f.error("paused", "must be true or false");
      }
      paused = p.asBoolean();
    }
    return new ScheduleSpec(
        f.string("name"),
        f.has("cron") ? f.string("cron") : null,
        f.has("every") && every == null ? Duration.ZERO : every,
        f.has("timezone") ? f.string("timezone") : "UTC",
        task(f),
        workflow(f),
        f.has("task") ? f.raw("task") : f.has("workflow") ? f.raw("workflow") : null,
        choice(f, "overlap", ScheduleSpec.Overlap.class, ScheduleSpec.Overlap.SKIP),
        choice(f, "catch_up", ScheduleSpec.CatchUp.class, ScheduleSpec.CatchUp.NONE),
        window,
        paused);
  }

  /**
   * A workflow template, as for {@code POST /api/workflows} (its errors named {@code
   * workflow.<field>}); each slot submits it under the slot's key.
   */
  private static WorkflowSpec workflow(JsonFields f) {
    if (!f.has("workflow")) {
      return null;
    }
    JsonNode node = f.raw("workflow");
    if (!node.isObject() || node.has("idempotency_key")) {
      f.error("workflow", "must be an object as for POST /api/workflows, without idempotency_key");
      return null;
    }
    try {
      return WorkflowRequest.parse(node, null);
    } catch (ApiError invalid) {
      invalid.fieldErrors().forEach(e -> f.error("workflow." + e.field(), e.message()));
      return null;
    }
  }

  private static TaskSpec task(JsonFields f) {
    if (!f.has("task")) {
      return null;
    }
    JsonNode node = f.raw("task");
    if (!node.isObject()) {
      f.error("task", "must be an object, as for POST /api/tasks");
      return null;
    }
    JsonFields t = f.nested(node, "task");
    t.rejectUnknown(TASK_FIELDS);
    int before = f.errors().size();
    TaskSpec spec = TaskRequest.read(t, null);
    if (spec.subject() != null) {
      // the schedule's own events hold its template's input: it would be journaled unsealed
      t.error("subject", "a schedule's task cannot name a subject; submit the task on its own");
    }
    if (f.errors().size() > before) {
      return null;
    }
    List<FieldError> problems = spec.validate();
    problems.forEach(e -> t.error(e.field(), e.message()));
    return problems.isEmpty() ? spec : null;
  }

  /**
   * An enum by its lower-case label; {@code fallback} when absent, null (an error) when unknown.
   */
  private static <E extends Enum<E>> E choice(
      JsonFields f, String field, Class<E> type, E fallback) {
    if (!f.has(field)) {
      return fallback;
    }
    String v = f.string(field);
    for (E e : type.getEnumConstants()) {
      if (e.name().toLowerCase(Locale.ROOT).equals(v)) {
        return e;
      }
    }
    List<String> labels = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      labels.add(e.name().toLowerCase(Locale.ROOT));
    }
    f.error(field, "must be one of " + String.join(", ", labels));
    return null;
  }
}
