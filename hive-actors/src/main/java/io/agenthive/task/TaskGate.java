package io.agenthive.task;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.agenthive.access.Principal;
import io.agenthive.access.Role;
import io.agenthive.common.CborSerializable;
import io.agenthive.common.FieldError;
import io.agenthive.common.Validator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a task waits for besides an agent: a clock ({@code notBefore}: it is {@code scheduled} until
 * then; {@code expiresAt}: not started by then, it {@code expired}), a person ({@code approval}) or
 * a signal or instant ({@code wait}). Null on an ordinary task's spec.
 */
public record TaskGate(Instant notBefore, Instant expiresAt, Approval approval, Wait waitFor)
    implements CborSerializable {

  public static final int MAX_APPROVERS = 50;
  public static final Duration MAX_WAIT = Duration.ofDays(366);
  private static final Pattern SIGNAL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}");
  private static final Pattern APPROVER =
      Pattern.compile("((role|user|key|oidc):)?[A-Za-z0-9][A-Za-z0-9_.@:+-]{0,199}");

  /** What an approval that nobody decided in time becomes. */
  public enum OnTimeout {
    REJECT,
    APPROVE,
    FAIL;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * A person's decision: {@code prompt} (may use {@code {{deps.<step>}}}), who may decide ({@code
   * role:<role>}, {@code user:<name>} or a bare name, {@code key:<id>}, {@code oidc:<subject>}),
   * and what happens when nobody did within {@code timeoutMs} (null: it waits for ever).
   */
  public record Approval(String prompt, List<String> approvers, Long timeoutMs, OnTimeout onTimeout)
      implements CborSerializable {
    public Approval {
      approvers = approvers == null ? List.of() : List.copyOf(approvers);
      onTimeout = onTimeout == null ? OnTimeout.REJECT : onTimeout;
    }

    /**
     * Whether {@code p} may decide: it is named ({@code user:alice}, a bare {@code alice}, {@code
     * key:<id>}, {@code oidc:<subject>}), or its role covers a listed {@code role:<role>}. An admin
     * may not decide for a named person: only the identity named, or a role listed, may.
     */
    public boolean allows(Principal p) {
      List<String> mine = tokensOf(p);
      return canonical().stream().anyMatch(mine::contains);
    }

    /** The approvers in one spelling: a bare name is {@code user:<name>}. */
    public List<String> canonical() {
      return approvers.stream().map(a -> a.contains(":") ? a : "user:" + a).toList();
    }

    /**
     * What a principal matches in {@link #canonical} approvers: its own label, and each role its
     * role covers. The read side filters open approvals by these, so the rule has one home.
     */
    public static List<String> tokensOf(Principal p) {
      List<String> out = new java.util.ArrayList<>();
      out.add(p.label());
      for (Role r : Role.values()) {
        if (p.role().covers(r)) {
          out.add("role:" + r.label());
        }
      }
      return out;
    }
  }

  /**
   * A wait for the signal {@code signal} (its payload becomes the output), or for an instant
   * ({@code until}, or {@code forMs} after the wait began); {@code timeoutMs} bounds a wait for a
   * signal (it then fails).
   */
  public record Wait(String signal, Instant until, Long forMs, Long timeoutMs)
      implements CborSerializable {}

  public static TaskGate approval(Approval approval) {
    return new TaskGate(null, null, approval, null);
  }

  /** Whether {@code notBefore} is still ahead at {@code at}. */
  @JsonIgnore
  public boolean scheduledAt(Instant at) {
    return notBefore != null && at.isBefore(notBefore);
  }

  /** The status a task with this gate takes once nothing holds it back but its gate. */
  @JsonIgnore
  public TaskStatus openStatus() {
    if (approval != null) {
      return TaskStatus.WAITING_FOR_APPROVAL;
    }
    return waitFor != null ? TaskStatus.WAITING : TaskStatus.PENDING;
  }

  List<FieldError> validate() {
    Validator v = new Validator();
    v.require(
        notBefore == null || expiresAt == null || expiresAt.isAfter(notBefore),
        "expires_at",
        "must be after not_before");
    v.require(
        approval == null || waitFor == null, "kind", "a task is an approval or a wait, not both");
    if (approval != null) {
      v.require(
          !approval.approvers().isEmpty() && approval.approvers().size() <= MAX_APPROVERS,
          "approvers",
          "must list 1-" + MAX_APPROVERS + " approvers (role:<role>, user:<name>, key:<id>)");
      for (int i = 0; i < approval.approvers().size(); i++) {
        String a = approval.approvers().get(i);
        v.require(
            a != null && APPROVER.matcher(a).matches(),
            "approvers[" + i + "]",
            "must be role:<role>, user:<name>, key:<id>, oidc:<subject> or a user name");
        if (a != null && a.startsWith("role:")) {
          v.require(
              Role.parse(a.substring(5)).isPresent(),
              "approvers[" + i + "]",
              "names no role (viewer, operator, admin)");
        }
      }
      v.require(
          approval.prompt() == null || approval.prompt().length() <= 10_000,
          "prompt",
          "must be at most 10000 characters");
      v.require(
          approval.timeoutMs() == null || within(approval.timeoutMs()),
          "timeout",
          "must be between 1 second and 366 days");
    }
    if (waitFor != null) {
      int ways = (waitFor.signal() != null ? 1 : 0) + (waitFor.until() != null ? 1 : 0);
      ways += waitFor.forMs() != null ? 1 : 0;
      v.require(ways == 1, "kind", "a wait names exactly one of signal, until, for");
      v.require(
          waitFor.signal() == null || SIGNAL.matcher(waitFor.signal()).matches(),
          "signal",
          "must be 1-64 letters, digits, '.', ':', '_' or '-'");
      v.require(
          waitFor.forMs() == null || within(waitFor.forMs()),
          "for",
          "must be between 1s and 366 days");
      v.require(
          waitFor.timeoutMs() == null || within(waitFor.timeoutMs()),
          "timeout",
          "must be between 1 second and 366 days");
      v.require(
          waitFor.timeoutMs() == null || waitFor.signal() != null,
          "timeout",
          "only a wait for a signal has a timeout");
    }
    return v.errors();
  }

  private static boolean within(long ms) {
    return ms >= 1_000 && ms <= MAX_WAIT.toMillis();
  }
}
