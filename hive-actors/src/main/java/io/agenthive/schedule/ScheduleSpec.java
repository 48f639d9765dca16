package io.agenthive.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.common.CborSerializable;
import io.agenthive.common.FieldError;
import io.agenthive.task.TaskSpec;
import io.agenthive.workflow.WorkflowSpec;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One schedule as its owner defined it: when ({@code cron} in {@code timezone}, or {@code every}),
 * what (a task or a workflow template, kept both parsed and as the JSON the client sent, so it
 * reads back and PATCHes as written), and how missed or overlapping slots are treated.
 */
public record ScheduleSpec(
    String name,
    String cron,
    Duration every,
    String timezone,
    TaskSpec task,
    WorkflowSpec workflow,
    JsonNode template,
    Overlap overlap,
    CatchUp catchUp,
    Duration catchUpWindow,
    boolean paused)
    implements CborSerializable {

  /** Names go into URLs and idempotency keys: short, and nothing that needs escaping. */
  public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,62}");

  public static final Duration MIN_EVERY = Duration.ofSeconds(1);
  public static final Duration MAX_EVERY = Duration.ofDays(366);
  public static final Duration DEFAULT_CATCH_UP_WINDOW = Duration.ofHours(1);
  public static final Duration MAX_CATCH_UP_WINDOW = Duration.ofDays(1);
  public static final int MAX_CRON_CHARS = 120;
  public static final long MAX_TEMPLATE_BYTES = 16 * 1024;

  /** What a slot does while the task of the slot before it has not ended. */
  public enum Overlap {
    /** The slot is skipped (recorded in the history, counted as missed with reason overlap). */
    SKIP,
    /** The task is submitted anyway and waits in the queue like any other. */
    QUEUE,
    /** For tasks the same as {@link #QUEUE}: a submitted task never blocks another. */
    ALLOW;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Which slots missed while no node ran the scheduler (downtime, failover) are still fired. */
  public enum CatchUp {
    /** None: the missed slots are recorded as missed; the next slot fires on time. */
    NONE,
    /** Only the latest missed slot. */
    ONE,
    /** Every missed slot inside the catch-up window, oldest first. */
    ALL;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public ScheduleSpec withPaused(boolean p) {
    return new ScheduleSpec(
        name, cron, every, timezone, task, workflow, template, overlap, catchUp, catchUpWindow, p);
  }

  public ZoneId zone() {
    return ZoneId.of(timezone);
  }

  /** Every problem with this schedule, each naming its field; empty when it is valid. */
  public List<FieldError> validate() {
    List<FieldError> errors = new ArrayList<>();
    if (name == null || !NAME.matcher(name).matches()) {
      errors.add(
          new FieldError(
              "name",
              "must be 1-63 lower-case letters, digits, '.', '_' or '-', first a letter"
                  + " or digit"));
    }
    if ((cron == null) == (every == null)) {
      errors.add(new FieldError("cron", "give exactly one of cron and every"));
    }
    if (cron != null) {
      ScheduleTimes.cronError(cron).ifPresent(why -> errors.add(new FieldError("cron", why)));
    }
    if (every != null && (every.compareTo(MIN_EVERY) < 0 || every.compareTo(MAX_EVERY) > 0)) {
      errors.add(new FieldError("every", "must be between 1s and 366d"));
    }
    if (timezone == null) {
      errors.add(new FieldError("timezone", "is required"));
    } else {
      try {
        ZoneId.of(timezone);
      } catch (DateTimeException e) {
        errors.add(
            new FieldError("timezone", "is not a known IANA time zone (e.g. Europe/Berlin)"));
      }
    }
    if (overlap == null) {
      errors.add(new FieldError("overlap", "must be one of skip, queue, allow"));
    }
    if (catchUp == null) {
      errors.add(new FieldError("catch_up", "must be one of none, one, all"));
    }
    if (catchUpWindow == null
        || catchUpWindow.isNegative()
        || catchUpWindow.compareTo(MAX_CATCH_UP_WINDOW) > 0) {
      errors.add(new FieldError("catch_up_window", "must be a duration between 0s and 24h"));
    }
    if (task == null && workflow == null) {
      errors.add(new FieldError("task", "is required (or a workflow)"));
    } else if (task != null && workflow != null) {
      errors.add(new FieldError("workflow", "give exactly one of task and workflow"));
    }
    return errors;
  }
}
