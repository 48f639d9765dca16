package io.agenthive.budget;

import io.agenthive.common.CborSerializable;
import io.agenthive.common.FieldError;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A limit on what may be spent: {@code limit} tokens or cost units (the price table's currency) per
 * {@code period}, by one agent, one workflow or one principal ({@code target}: its id or label).
 * Periods are calendar hours, days and months in UTC, or the whole history ({@code total}).
 */
public record Budget(
    String name, Scope scope, String target, Metric metric, double limit, Period period)
    implements CborSerializable {
  static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

  public enum Scope {
    AGENT,
    WORKFLOW,
    PRINCIPAL;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public enum Metric {
    TOKENS,
    COST;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public enum Period {
    HOUR,
    DAY,
    MONTH,
    TOTAL;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Where the period holding {@code at} began. */
    public Instant start(Instant at) {
      ZonedDateTime t = at.atZone(ZoneOffset.UTC);
      return switch (this) {
        case HOUR -> t.truncatedTo(ChronoUnit.HOURS).toInstant();
        case DAY -> t.truncatedTo(ChronoUnit.DAYS).toInstant();
        case MONTH -> t.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1).toInstant();
        case TOTAL -> Instant.EPOCH;
      };
    }

    /** When the period that began at {@code start} ends (null: never). */
    public Instant end(Instant start) {
      ZonedDateTime t = start.atZone(ZoneOffset.UTC);
      return switch (this) {
        case HOUR -> t.plusHours(1).toInstant();
        case DAY -> t.plusDays(1).toInstant();
        case MONTH -> t.plusMonths(1).toInstant();
        case TOTAL -> null;
      };
    }
  }

  /** {@code text} as one of {@code values}' labels, case-insensitively. */
  public static <E extends Enum<E>> Optional<E> parse(Class<E> type, String text) {
    if (text == null) {
      return Optional.empty();
    }
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(text)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  public List<FieldError> validate() {
    List<FieldError> errors = new ArrayList<>();
    if (name == null || !NAME.matcher(name).matches()) {
      errors.add(
          new FieldError("name", "must be 1-64 lower-case letters, digits, '.', '_' or '-'"));
    }
    if (scope == null) {
      errors.add(new FieldError("scope", "must be one of agent, workflow, principal"));
    }
    if (target == null || target.isBlank() || target.length() > 200) {
      errors.add(new FieldError("target", "must be the agent id, workflow id or principal"));
    }
    if (metric == null) {
      errors.add(new FieldError("metric", "must be tokens or cost"));
    }
    if (!(limit >= 0) || Double.isInfinite(limit)) {
      errors.add(new FieldError("limit", "must be a number of at least 0"));
    }
    if (period == null) {
      errors.add(new FieldError("period", "must be one of hour, day, month, total"));
    }
    return errors;
  }

  /** Whether {@code spend} counts against this budget. */
  boolean covers(Spend spend) {
    return switch (scope) {
      case AGENT -> target.equals(spend.agentId());
      case WORKFLOW -> target.equals(spend.workflowId());
      case PRINCIPAL -> target.equals(spend.principal());
    };
  }

  double amount(Spend spend) {
    return metric == Metric.TOKENS ? spend.tokens() : spend.cost();
  }
}
