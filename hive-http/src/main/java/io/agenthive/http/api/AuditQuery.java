package io.agenthive.http.api;

import io.agenthive.common.FieldError;
import io.agenthive.http.events.EventRoutes;
import io.agenthive.http.json.ApiError;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Filters of {@code GET /api/audit/events}: {@code entity_kind}, {@code entity_id}, {@code type}
 * (event type, e.g. TaskCompleted), {@code from}/{@code to} (ISO-8601 instants, inclusive) and
 * {@code from_offset} (exclusive) / {@code to_offset} (inclusive).
 */
public record AuditQuery(
    String kind, String id, String type, Instant from, Instant to, long fromOffset, long toOffset) {
  private static final Set<String> KNOWN =
      Set.of("entity_kind", "entity_id", "type", "from", "to", "from_offset", "to_offset");

  static AuditQuery from(Map<String, String> params) {
    List<FieldError> errors = new ArrayList<>();
    params.keySet().stream()
        .filter(k -> !KNOWN.contains(k))
        .forEach(k -> errors.add(new FieldError(k, "is not a known query parameter")));
    String kind = params.get("entity_kind");
    if (kind != null && !EventRoutes.KINDS.containsValue(kind)) {
      errors.add(new FieldError("entity_kind", "must be one of " + EventRoutes.KINDS.values()));
    }
    Instant from = parseInstant(params, "from", errors);
    Instant to = parseInstant(params, "to", errors);
    long fromOffset = parseOffset(params, "from_offset", 0, errors);
    long toOffset = parseOffset(params, "to_offset", Long.MAX_VALUE, errors);
    if (!errors.isEmpty()) {
      throw ApiError.invalid(errors);
    }
    return new AuditQuery(
        kind, params.get("entity_id"), params.get("type"), from, to, fromOffset, toOffset);
  }

  /** A single instant parameter, null when absent; a malformed one is a 400. */
  static Instant instant(Map<String, String> params, String name) {
    List<FieldError> errors = new ArrayList<>();
    Instant value = parseInstant(params, name, errors);
    if (!errors.isEmpty()) {
      throw ApiError.invalid(errors);
    }
    return value;
  }

  boolean matches(EventRoutes.EventJson e) {
    return (kind == null || kind.equals(e.entityKind()))
        && (id == null || id.equals(e.entityId()))
        && (type == null || type.equals(e.type()))
        && (from == null || !e.timestamp().isBefore(from))
        && (to == null || !e.timestamp().isAfter(to));
  }

  private static Instant parseInstant(Map<String, String> p, String name, List<FieldError> errs) {
    String raw = p.get(name);
    if (raw == null) {
      return null;
    }
    try {
      return Instant.parse(raw);
    } catch (DateTimeParseException e) {
      errs.add(new FieldError(name, "must be an ISO-8601 instant such as 2026-11-22T12:00:00Z"));
      return null;
    }
  }

  private static long parseOffset(
      Map<String, String> p, String name, long fallback, List<FieldError> errs) {
    String raw = p.get(name);
    if (raw == null) {
      return fallback;
    }
    try {
      long v = Long.parseLong(raw);
      if (v >= 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    errs.add(new FieldError(name, "must be a whole number of 0 or more"));
    return fallback;
  }
}
