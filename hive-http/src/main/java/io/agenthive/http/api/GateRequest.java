package io.agenthive.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.http.json.JsonFields;
import io.agenthive.task.TaskGate;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what a task waits for besides an agent: {@code not_before}, {@code expires_at}, and a
 * step's {@code kind} ({@code task}, the default; {@code approval} with {@code prompt}, {@code
 * approvers}, {@code timeout}, {@code on_timeout}; {@code wait} with {@code signal}, {@code until}
 * or {@code for}, and {@code timeout}). Durations are {@code 90s}, {@code 15m}, {@code 2h}, {@code
 * 1d}, {@code 500ms} or ISO-8601 ({@code PT15M}). Errors are left in the fields, each naming its
 * field.
 */
final class GateRequest {
  static final Set<String> FIELDS =
      Set.of(
          "not_before",
          "expires_at",
          "kind",
          "prompt",
          "approvers",
          "timeout",
          "on_timeout",
          "signal",
          "until",
          "for");
  private static final Pattern SHORT = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

  private GateRequest() {}

  /** The gate these fields describe, or null for an ordinary task. */
  static TaskGate read(JsonFields f) {
    Instant notBefore = instant(f, "not_before");
    Instant expiresAt = instant(f, "expires_at");
    String kind = f.has("kind") ? f.string("kind") : "task";
    TaskGate.Approval approval = null;
    TaskGate.Wait wait = null;
    if ("approval".equals(kind)) {
      approval =
          new TaskGate.Approval(
              f.string("prompt"),
              TaskRequest.strings(f, "approvers"),
              millis(f, "timeout"),
              onTimeout(f));
    } else if ("wait".equals(kind)) {
      wait =
          new TaskGate.Wait(
              f.string("signal"), instant(f, "until"), millis(f, "for"), millis(f, "timeout"));
    } else if (!"task".equals(kind)) {
      f.error("kind", "must be task, approval or wait");
    }
    if (!"approval".equals(kind)) {
      onlyFor(f, "approval", "prompt", "approvers", "on_timeout");
    }
    if (!"wait".equals(kind)) {
      onlyFor(f, "wait", "signal", "until", "for");
    }
    if (approval == null && wait == null) {
      onlyFor(f, "approval or a wait", "timeout");
    }
    if (notBefore == null && expiresAt == null && approval == null && wait == null) {
      return null;
    }
    return new TaskGate(notBefore, expiresAt, approval, wait);
  }

  /**
   * A title for an approval or a wait that has none: its prompt's start, or the signal it waits
   * for. Null for other tasks (a title is then required).
   */
  static String defaultTitle(JsonFields f) {
    JsonNode kind = f.raw("kind");
    String k = kind != null && kind.isTextual() ? kind.textValue() : "task";
    JsonNode prompt = f.raw("prompt");
    JsonNode signal = f.raw("signal");
    if (k.equals("approval")) {
      String p = prompt != null && prompt.isTextual() ? prompt.textValue().strip() : "";
      return p.isEmpty()
          ? "approval"
          : p.substring(0, Math.min(TaskRequest.TITLE_FROM_DESCRIPTION, p.length()));
    }
    if (k.equals("wait")) {
      return signal != null && signal.isTextual() ? "wait for " + signal.textValue() : "wait";
    }
    return null;
  }

  private static void onlyFor(JsonFields f, String kind, String... fields) {
    for (String field : fields) {
      if (f.has(field)) {
        f.error(field, "belongs to a step of kind " + kind);
      }
    }
  }

  private static TaskGate.OnTimeout onTimeout(JsonFields f) {
    String v = f.string("on_timeout");
    if (v == null) {
      return null;
    }
    try {
      return TaskGate.OnTimeout.valueOf(v.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      f.error("on_timeout", "must be reject, approve or fail");
      return null;
    }
  }

  static Instant instant(JsonFields f, String field) {
    String text = f.string(field);
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      f.error(field, "must be an ISO-8601 instant such as 2026-11-22T12:00:00Z");
      return null;
    }
  }

  /** A duration in milliseconds, given as text ({@code 15m}, {@code PT15M}) or a number of ms. */
  static Long millis(JsonFields f, String field) {
    JsonNode raw = f.raw(field);
    if (raw == null || raw.isNull()) {
      return null;
    }
    if (raw.isIntegralNumber() && raw.canConvertToLong()) {
      return raw.longValue();
    }
    Duration d = raw.isTextual() ? duration(raw.textValue()) : null;
    if (d == null || d.compareTo(TaskGate.MAX_WAIT) > 0 || d.isNegative()) {
      // bounded before toMillis, which overflows for the largest durations ISO-8601 can name
      f.error(field, "must be a duration such as 90s, 15m, 2h, 1d or PT15M, at most 366 days");
      return null;
    }
    return d.toMillis();
  }

  /** {@code 90s}, {@code 15m}, {@code 2h}, {@code 1d}, {@code 500ms}, or ISO-8601; else null. */
  static Duration duration(String text) {
    Matcher m = SHORT.matcher(text.strip());
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      return Duration.parse(text.strip());
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
