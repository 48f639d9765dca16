package io.agenthive.task;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.common.CborSerializable;
import io.agenthive.common.FieldError;
import io.agenthive.common.Validator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a client submits. {@code maxAttempts} and {@code timeoutMs} may be null and then take the
 * documented defaults from config ({@link #withDefaults}); everything else is taken as given.
 */
public record TaskSpec(
    String title,
    String description,
    String type,
    Priority priority,
    List<RequiredCapability> requiredCapabilities,
    JsonNode input,
    Instant deadline,
    Integer maxAttempts,
    Long timeoutMs,
    String idempotencyKey,
    DatasetSpec dataset,
    ChunkRef chunk,
    Dependencies dependencies,
    TaskGate gate,
    List<EscalationRung> escalation)
    implements CborSerializable {

  public static final int MAX_ATTEMPTS_LIMIT = 100;
  // compiled once: every submission is validated
  private static final Pattern TYPE = Pattern.compile("[a-z0-9][a-z0-9_.:-]{0,63}");
  public static final Duration TIMEOUT_LIMIT = Duration.ofDays(1);

  /** An ordinary task: no dataset, not a chunk of one. */
  public TaskSpec(
      String title,
      String description,
      String type,
      Priority priority,
      List<RequiredCapability> requiredCapabilities,
      JsonNode input,
      Instant deadline,
      Integer maxAttempts,
      Long timeoutMs,
      String idempotencyKey) {
    this(
        title,
        description,
        type,
        priority,
        requiredCapabilities,
        input,
        deadline,
        maxAttempts,
        timeoutMs,
        idempotencyKey,
        null,
        null,
        null);
  }

  /** A task with no dependencies. */
  public TaskSpec(
      String title,
      String description,
      String type,
      Priority priority,
      List<RequiredCapability> requiredCapabilities,
      JsonNode input,
      Instant deadline,
      Integer maxAttempts,
      Long timeoutMs,
      String idempotencyKey,
      DatasetSpec dataset,
      ChunkRef chunk) {
    this(
        title,
        description,
        type,
        priority,
        requiredCapabilities,
        input,
        deadline,
        maxAttempts,
        timeoutMs,
        idempotencyKey,
        dataset,
        chunk,
        null);
  }

  /** A task with nothing to wait for but an agent (and its dependencies, if any). */
  public TaskSpec(
      String title,
      String description,
      String type,
      Priority priority,
      List<RequiredCapability> requiredCapabilities,
      JsonNode input,
      Instant deadline,
      Integer maxAttempts,
      Long timeoutMs,
      String idempotencyKey,
      DatasetSpec dataset,
      ChunkRef chunk,
      Dependencies dependencies) {
    this(
        title,
        description,
        type,
        priority,
        requiredCapabilities,
        input,
        deadline,
        maxAttempts,
        timeoutMs,
        idempotencyKey,
        dataset,
        chunk,
        dependencies,
        null);
  }

  /** A task with no escalation ladder (every caller from before ladders existed). */
  public TaskSpec(
      String title,
      String description,
      String type,
      Priority priority,
      List<RequiredCapability> requiredCapabilities,
      JsonNode input,
      Instant deadline,
      Integer maxAttempts,
      Long timeoutMs,
      String idempotencyKey,
      DatasetSpec dataset,
      ChunkRef chunk,
      Dependencies dependencies,
      TaskGate gate) {
    this(
        title,
        description,
        type,
        priority,
        requiredCapabilities,
        input,
        deadline,
        maxAttempts,
        timeoutMs,
        idempotencyKey,
        dataset,
        chunk,
        dependencies,
        gate,
        null);
  }

  public TaskSpec {
    // events journaled before ladders existed have none: read as an empty ladder
    escalation = escalation == null ? List.of() : List.copyOf(escalation);
    requiredCapabilities =
        requiredCapabilities == null ? List.of() : List.copyOf(requiredCapabilities);
    description = description == null ? "" : description;
  }

  public TaskSpec withDefaults(int defaultMaxAttempts, Duration defaultTimeout) {
    return new TaskSpec(
        title,
        description,
        type,
        priority,
        requiredCapabilities,
        input,
        deadline,
        maxAttempts == null ? defaultMaxAttempts : maxAttempts,
        timeoutMs == null ? defaultTimeout.toMillis() : timeoutMs,
        idempotencyKey,
        dataset,
        chunk,
        dependencies,
        gate,
        escalation);
  }

  public TaskSpec withMaxAttempts(int max) {
    return new TaskSpec(
        title,
        description,
        type,
        priority,
        requiredCapabilities,
        input,
        deadline,
        max,
        timeoutMs,
        idempotencyKey,
        dataset,
        chunk,
        dependencies,
        gate,
        escalation);
  }

  public TaskSpec withDataset(DatasetSpec resolved) {
    return new TaskSpec(
        title,
        description,
        type,
        priority,
        requiredCapabilities,
        input,
        deadline,
        maxAttempts,
        timeoutMs,
        idempotencyKey,
        resolved,
        chunk,
        dependencies,
        gate,
        escalation);
  }

  public TaskSpec withDependencies(Dependencies deps) {
    return new TaskSpec(
        title,
        description,
        type,
        priority,
        requiredCapabilities,
        input,
        deadline,
        maxAttempts,
        timeoutMs,
        idempotencyKey,
        dataset,
        chunk,
        deps,
        gate,
        escalation);
  }

  public TaskSpec withGate(TaskGate g) {
    return new TaskSpec(
        title,
        description,
        type,
        priority,
        requiredCapabilities,
        input,
        deadline,
        maxAttempts,
        timeoutMs,
        idempotencyKey,
        dataset,
        chunk,
        dependencies,
        g,
        escalation);
  }

  /** The status this task takes at {@code at} once its dependencies (if any) let it go. */
  public TaskStatus readyStatus(Instant at) {
    if (gate == null) {
      return TaskStatus.PENDING;
    }
    return gate.scheduledAt(at) ? TaskStatus.SCHEDULED : gate.openStatus();
  }

  public TaskSpec withEscalation(List<EscalationRung> ladder) {
    return new TaskSpec(
        title,
        description,
        type,
        priority,
        requiredCapabilities,
        input,
        deadline,
        maxAttempts,
        timeoutMs,
        idempotencyKey,
        dataset,
        chunk,
        dependencies,
        gate,
        ladder);
  }

  /**
   * What attempt {@code attempt} (1-based) needs of its agent: the required capabilities plus, with
   * an escalation ladder, that attempt's rung. The same list object as {@link
   * #requiredCapabilities} when there is no ladder, so the matcher's task classes stay as they
   * were.
   */
  public List<RequiredCapability> requirementsFor(int attempt) {
    return EscalationRung.requirementsFor(requiredCapabilities, escalation, attempt);
  }

  /** True for an approval or a wait: a step that no agent runs. */
  @JsonIgnore
  public boolean isGateStep() {
    return gate != null && gate.openStatus() != TaskStatus.PENDING;
  }

  /** True when this task waits for others before it may be queued. */
  public boolean waits() {
    return dependencies != null && dependencies.waits();
  }

  public boolean hasDataset() {
    return dataset != null;
  }

  /** Every problem with this spec, each naming its field; empty when the spec is valid. */
  public List<FieldError> validate() {
    Validator v = new Validator();
    v.require(
        title != null && !title.isBlank() && title.length() <= 200,
        "title",
        "must be 1-200 characters and not blank");
    v.require(description.length() <= 10_000, "description", "must be at most 10000 characters");
    v.require(
        type != null && TYPE.matcher(type).matches(),
        "type",
        "must be 1-64 lower-case letters, digits, '.', ':', '_' or '-'");
    v.require(priority != null, "priority", "must be one of low, medium, high, critical");
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < requiredCapabilities.size(); i++) {
      RequiredCapability rc = requiredCapabilities.get(i);
      String at = "required_capabilities[" + i + "]";
      if (rc == null) {
        v.require(false, at, "must be an object");
        continue;
      }
      v.require(rc.name() != null && !rc.name().isBlank(), at + ".name", "is required");
      v.require(rc.name() == null || seen.add(rc.name()), at + ".name", "is listed twice");
      v.unitInterval(rc.minimumProficiency(), at + ".minimum_proficiency");
    }
    v.require(
        maxAttempts == null || (maxAttempts >= 1 && maxAttempts <= MAX_ATTEMPTS_LIMIT),
        "max_attempts",
        "must be between 1 and " + MAX_ATTEMPTS_LIMIT);
    v.require(
        timeoutMs == null || (timeoutMs >= 1 && timeoutMs <= TIMEOUT_LIMIT.toMillis()),
        "timeout_ms",
        "must be between 1 and " + TIMEOUT_LIMIT.toMillis());
    v.require(
        idempotencyKey == null || (!idempotencyKey.isBlank() && idempotencyKey.length() <= 200),
        "idempotency_key",
        "must be 1-200 characters");
    List<FieldError> errors = new ArrayList<>(v.errors());
    errors.addAll(EscalationRung.validate(escalation));
    if (dataset != null) {
      errors.addAll(dataset.validate("dataset."));
    }
    if (dependencies != null) {
      errors.addAll(dependencies.validate());
      if (dependencies.waits() && dataset != null) {
        errors.add(new FieldError("depends_on", "a dataset task cannot wait for other tasks"));
      }
    }
    if (gate != null) {
      errors.addAll(gate.validate());
      if (isGateStep() && gate.expiresAt() != null && gate.notBefore() == null && !waits()) {
        // it opens at once, and only what has not opened yet can expire
        errors.add(
            new FieldError(
                "expires_at",
                "an approval or a wait that opens at once cannot expire; give it a timeout"));
      }
      if (dataset != null && isGateStep()) {
        errors.add(new FieldError("kind", "an approval or a wait cannot have a dataset"));
      }
    }
    return errors;
  }
}
