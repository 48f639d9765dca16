package io.agenthive.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.http.json.ApiError;
import io.agenthive.http.json.JsonFields;
import io.agenthive.task.DatasetSpec;
import io.agenthive.task.Dependencies;
import io.agenthive.task.EscalationRung;
import io.agenthive.task.Priority;
import io.agenthive.task.RequiredCapability;
import io.agenthive.task.TaskSpec;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads {@code POST /api/tasks} bodies, including the seed hub's shapes: a numeric {@code priority}
 * 1–10 (≥8 critical, ≥6 high, ≥4 medium, else low), {@code min_proficiency} for {@code
 * minimum_proficiency}, {@code description} without {@code title} (the title is its first 60
 * characters), and the seed's {@code context} object (used as the input when there is none).
 * Documented defaults: {@code type} "general", {@code priority} medium.
 */
public final class TaskRequest {
  static final int TITLE_FROM_DESCRIPTION = 60;
  private static final Set<String> OWN_FIELDS =
      Set.of(
          "title",
          "description",
          "type",
          "priority",
          "required_capabilities",
          "input",
          "context",
          "deadline",
          "max_attempts",
          "timeout_ms",
          "idempotency_key",
          "dataset",
          "depends_on",
          "on_dependency_failure",
          "escalation",
          "subject");
  // after OWN_FIELDS: static fields are set in the order they are written
  static final Set<String> FIELDS = withGateFields();
  private static final Set<String> RUNG_FIELDS =
      Set.of("capability", "minimum_proficiency", "min_proficiency", "tag");
  private static final Set<String> REQUIREMENT_FIELDS =
      Set.of("name", "minimum_proficiency", "min_proficiency", "weight");

  private TaskRequest() {}

  private static Set<String> withGateFields() {
    Set<String> all = new HashSet<>(OWN_FIELDS);
    all.addAll(GateRequest.FIELDS);
    return Set.copyOf(all);
  }

  /** A task on its own may name its parent; a workflow's step may not (its workflow owns it). */
  private static final Set<String> TASK_FIELDS = withParent();

  private static Set<String> withParent() {
    Set<String> all = new HashSet<>(FIELDS);
    all.add("parent_id");
    return Set.copyOf(all);
  }

  /** A task as the dashboard's socket submits it: no parent (only {@link #parseTask} takes one). */
  public static TaskSpec parse(JsonNode body, String idempotencyHeader) {
    JsonFields f = JsonFields.of(body);
    f.rejectUnknown(FIELDS);
    TaskSpec spec = read(f, idempotencyHeader);
    if (!f.errors().isEmpty()) {
      throw ApiError.invalid(f.errors());
    }
    return spec;
  }

  /**
   * {@code POST /api/tasks}: also {@code parent_id}, whose checks ({@link Subtasks#placed}) fill in
   * the depth.
   */
  static TaskSpec parseTask(JsonNode body, String idempotencyHeader) {
    JsonFields f = JsonFields.of(body);
    f.rejectUnknown(TASK_FIELDS);
    TaskSpec spec = read(f, idempotencyHeader);
    String parent = f.string("parent_id");
    if (f.has("parent_id")
        && (parent == null || !parent.matches("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}"))) {
      f.error("parent_id", "must be a task id");
    }
    if (!f.errors().isEmpty()) {
      throw ApiError.invalid(f.errors());
    }
    if (parent == null) {
      return spec;
    }
    Dependencies deps = spec.dependencies();
    return spec.withDependencies(
        deps == null ? Dependencies.ofParent(parent, 0) : deps.withParent(parent, 0));
  }

  /** The task's fields (unknown ones are the caller's to reject); errors are left in {@code f}. */
  static TaskSpec read(JsonFields f, String idempotencyHeader) {
    String description = f.string("description");
    String title = f.string("title");
    if (title == null && description != null && !f.has("title")) {
      title =
          description
              .strip()
              .substring(0, Math.min(TITLE_FROM_DESCRIPTION, description.strip().length()));
    }
    if (title == null && !f.has("title") && !f.has("description")) {
      title = GateRequest.defaultTitle(f);
    }
    String type = f.has("type") ? f.string("type") : "general";
    Priority priority = priority(f);
    List<RequiredCapability> reqs = requirements(f);
    JsonNode input = f.has("input") ? f.raw("input") : f.raw("context");
    Instant deadline = deadline(f);
    String key = idempotencyKey(f, idempotencyHeader);
    Integer maxAttempts = f.integer("max_attempts");
    Long timeoutMs = f.longInteger("timeout_ms");
    DatasetSpec dataset = f.has("dataset") ? DatasetRequest.fromJson(f) : null;
    List<String> dependsOn = strings(f, "depends_on");
    boolean runOnFailure = runOnDependencyFailure(f);
    Dependencies deps =
        dependsOn.isEmpty() && !runOnFailure
            ? null
            : new Dependencies(dependsOn, runOnFailure, null, null);
    return new TaskSpec(
        title,
        description,
        type,
        priority,
        reqs,
        input,
        deadline,
        maxAttempts,
        timeoutMs,
        key,
        dataset,
        null,
        deps,
        GateRequest.read(f),
        escalation(f),
        f.string("subject"));
  }

  /**
   * {@code escalation}: the ladder of rungs, attempt n on rung n (see {@link EscalationRung}). The
   * shape and the names are checked here, so every bad rung is named at once; the minimums with the
   * rest of the spec ({@link TaskSpec#validate}).
   */
  private static List<EscalationRung> escalation(JsonFields f) {
    List<EscalationRung> ladder = new ArrayList<>();
    List<JsonNode> items = f.array("escalation");
    if (items.size() > EscalationRung.MAX_RUNGS) {
      f.error("escalation", "must have at most " + EscalationRung.MAX_RUNGS + " rungs");
      return List.of();
    }
    for (int i = 0; i < items.size(); i++) {
      String at = "escalation[" + i + "]";
      if (!items.get(i).isObject()) {
        f.error(at, "must be an object");
        continue;
      }
      JsonFields r = f.nested(items.get(i), at);
      r.rejectUnknown(RUNG_FIELDS);
      if (r.has("tag")) {
        // agents carry capabilities, not tags: a tag rung could never be met
        r.error("tag", "agents have no tags; name a capability");
      }
      String capability = r.string("capability");
      if (capability == null) {
        r.error("capability", "is required");
      } else if (!EscalationRung.isCapabilityName(capability)) {
        r.error("capability", EscalationRung.CAPABILITY_RULE);
      }
      String field = r.has("minimum_proficiency") ? "minimum_proficiency" : "min_proficiency";
      Double min = r.number(field);
      ladder.add(new EscalationRung(capability, min == null ? 0.0 : min));
    }
    return ladder;
  }

  /** A list of strings (task ids or step names); a non-string item is an error naming it. */
  static List<String> strings(JsonFields f, String field) {
    List<String> out = new ArrayList<>();
    List<JsonNode> items = f.array(field);
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i).isTextual()) {
        out.add(items.get(i).textValue());
      } else {
        f.error(field + "[" + i + "]", "must be a string");
      }
    }
    return out;
  }

  /** {@code on_dependency_failure}: "fail" (the default) or "run". */
  static boolean runOnDependencyFailure(JsonFields f) {
    String v = f.string("on_dependency_failure");
    if (v != null && !v.equals("fail") && !v.equals("run")) {
      f.error("on_dependency_failure", "must be fail or run");
    }
    return "run".equals(v);
  }

  static Priority priority(JsonFields f) {
    return priority(f.raw("priority"), f);
  }

  /** The priority from a JSON value or a query parameter's text; null (and an error) if bad. */
  static Priority priority(JsonNode raw, JsonFields f) {
    if (raw == null || raw.isNull()) {
      return Priority.MEDIUM;
    }
    if (raw.isIntegralNumber()
        && raw.canConvertToInt()
        && raw.intValue() >= 1
        && raw.intValue() <= 10) {
      int n = raw.intValue();
      return n >= 8
          ? Priority.CRITICAL
          : n >= 6 ? Priority.HIGH : n >= 4 ? Priority.MEDIUM : Priority.LOW;
    }
    if (raw.isTextual()) {
      Priority p = Priority.parse(raw.textValue().toLowerCase(Locale.ROOT)).orElse(null);
      if (p != null) {
        return p;
      }
    }
    f.error("priority", "must be one of low, medium, high, critical, or a number from 1 to 10");
    return null;
  }

  private static List<RequiredCapability> requirements(JsonFields f) {
    List<RequiredCapability> out = new ArrayList<>();
    List<JsonNode> items = f.array("required_capabilities");
    for (int i = 0; i < items.size(); i++) {
      String at = "required_capabilities[" + i + "]";
      if (!items.get(i).isObject()) {
        f.error(at, "must be an object");
        continue;
      }
      JsonFields r = f.nested(items.get(i), at);
      r.rejectUnknown(REQUIREMENT_FIELDS);
      r.number("weight"); // accepted from the seed's dashboard, checked, not used
      String field = r.has("minimum_proficiency") ? "minimum_proficiency" : "min_proficiency";
      Double min = r.number(field);
      out.add(new RequiredCapability(r.string("name"), min == null ? 0.0 : min));
    }
    return out;
  }

  private static Instant deadline(JsonFields f) {
    String text = f.string("deadline");
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      f.error("deadline", "must be an ISO-8601 instant such as 2026-11-22T12:00:00Z");
      return null;
    }
  }

  private static String idempotencyKey(JsonFields f, String header) {
    String field = f.string("idempotency_key");
    if (header != null && field != null && !header.equals(field)) {
      f.error("idempotency_key", "differs from the Idempotency-Key header");
    }
    return header != null ? header : field;
  }
}
