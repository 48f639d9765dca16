package io.agenthive.task;

import io.agenthive.common.FieldError;
import io.agenthive.common.Validator;
import io.agenthive.subject.SubjectId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** What makes a {@link TaskSpec} valid: each problem named by the field a client wrote. */
final class TaskSpecRules {
  // compiled once: every submission is validated
  private static final Pattern TYPE = Pattern.compile("[a-z0-9][a-z0-9_.:-]{0,63}");

  private TaskSpecRules() {}

  /** Every problem with {@code spec}, each naming its field; empty when the spec is valid. */
  static List<FieldError> validate(TaskSpec spec) {
    Validator v = new Validator();
    v.require(
        spec.title() != null && !spec.title().isBlank() && spec.title().length() <= 200,
        "title",
        "must be 1-200 characters and not blank");
    v.require(
        spec.description().length() <= 10_000, "description", "must be at most 10000 characters");
    v.require(
        spec.type() != null && TYPE.matcher(spec.type()).matches(),
        "type",
        "must be 1-64 lower-case letters, digits, '.', ':', '_' or '-'");
    v.require(spec.priority() != null, "priority", "must be one of low, medium, high, critical");
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < spec.requiredCapabilities().size(); i++) {
      RequiredCapability rc = spec.requiredCapabilities().get(i);
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
        spec.maxAttempts() == null
            || (spec.maxAttempts() >= 1 && spec.maxAttempts() <= TaskSpec.MAX_ATTEMPTS_LIMIT),
        "max_attempts",
        "must be between 1 and " + TaskSpec.MAX_ATTEMPTS_LIMIT);
    v.require(
        spec.timeoutMs() == null
            || (spec.timeoutMs() >= 1 && spec.timeoutMs() <= TaskSpec.TIMEOUT_LIMIT.toMillis()),
        "timeout_ms",
        "must be between 1 and " + TaskSpec.TIMEOUT_LIMIT.toMillis());
    v.require(
        spec.idempotencyKey() == null
            || (!spec.idempotencyKey().isBlank() && spec.idempotencyKey().length() <= 200),
        "idempotency_key",
        "must be 1-200 characters");
    v.require(spec.subject() == null || SubjectId.valid(spec.subject()), "subject", SubjectId.RULE);
    // a dataset's chunks and results are bytes of their own, not sealed payloads
    v.require(
        spec.subject() == null || spec.dataset() == null,
        "subject",
        "a dataset task cannot name a subject");
    List<FieldError> errors = new ArrayList<>(v.errors());
    errors.addAll(EscalationRung.validate(spec.escalation()));
    if (spec.dataset() != null) {
      errors.addAll(spec.dataset().validate("dataset."));
    }
    if (spec.dependencies() != null) {
      errors.addAll(spec.dependencies().validate());
      if (spec.dependencies().waits() && spec.dataset() != null) {
        errors.add(new FieldError("depends_on", "a dataset task cannot wait for other tasks"));
      }
    }
    if (spec.gate() != null) {
      errors.addAll(spec.gate().validate());
      if (spec.isGateStep()
          && spec.gate().expiresAt() != null
          && spec.gate().notBefore() == null
          && !spec.waits()) {
        // it opens at once, and only what has not opened yet can expire
        errors.add(
            new FieldError(
                "expires_at",
                "an approval or a wait that opens at once cannot expire; give it a timeout"));
      }
      if (spec.dataset() != null && spec.isGateStep()) {
        errors.add(new FieldError("kind", "an approval or a wait cannot have a dataset"));
      }
    }
    return errors;
  }
}
