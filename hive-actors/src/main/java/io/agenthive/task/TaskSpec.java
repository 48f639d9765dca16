package io.agenthive.task;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.common.CborSerializable;
import io.agenthive.common.FieldError;
import io.agenthive.common.Personal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

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
    @Personal JsonNode input,
    Instant deadline,
    Integer maxAttempts,
    Long timeoutMs,
    String idempotencyKey,
    DatasetSpec dataset,
    ChunkRef chunk,
    Dependencies dependencies,
    TaskGate gate,
    List<EscalationRung> escalation,
    String subject)
    implements CborSerializable {

  public static final int MAX_ATTEMPTS_LIMIT = 100;
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
        null,
        null);
  }

  /** A task that names no subject (every caller from before subjects existed). */
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
      TaskGate gate,
      List<EscalationRung> escalation) {
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
        escalation,
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
        escalation,
        subject);
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
        escalation,
        subject);
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
        escalation,
        subject);
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
        escalation,
        subject);
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
        escalation,
        subject);
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
        ladder,
        subject);
  }

  /** The same task, its payloads belonging to {@code who} (a person or customer id). */
  public TaskSpec withSubject(String who) {
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
        escalation,
        who);
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
    return TaskSpecRules.validate(this);
  }
}
