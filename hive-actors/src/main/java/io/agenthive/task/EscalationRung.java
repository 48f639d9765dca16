package io.agenthive.task;

import io.agenthive.common.CborSerializable;
import io.agenthive.common.FieldError;
import io.agenthive.common.Validator;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One rung of a task's escalation ladder: attempt n needs {@code capability} at {@code
 * minimumProficiency} or better, where n is the rung's place (1-based); attempts past the last rung
 * stay on it. Agents have no tags, so a rung names a capability only.
 */
public record EscalationRung(String capability, double minimumProficiency)
    implements CborSerializable {

  public static final int MAX_RUNGS = 5;
  public static final String CAPABILITY_RULE =
      "must be 1-64 lower-case letters, digits, '.', '_' or '-'";
  // the same rule as an agent's capability names: a rung no agent could ever have is a typo
  private static final Pattern CAPABILITY = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

  /** Whether {@code name} could be an agent's capability. */
  public static boolean isCapabilityName(String name) {
    return name != null && CAPABILITY.matcher(name).matches();
  }

  public RequiredCapability requirement() {
    return new RequiredCapability(capability, minimumProficiency);
  }

  /** The rung attempt {@code attempt} (1-based) uses: its own, or the last one past the end. */
  public static int rungFor(List<EscalationRung> ladder, int attempt) {
    return Math.max(1, Math.min(attempt, ladder.size()));
  }

  /**
   * The requirements of attempt {@code attempt}: the task's own plus its rung's capability (the
   * rung's minimum wins when the task names the same capability).
   */
  public static List<RequiredCapability> requirementsFor(
      List<RequiredCapability> base, List<EscalationRung> ladder, int attempt) {
    if (ladder == null || ladder.isEmpty()) {
      return base;
    }
    EscalationRung rung = ladder.get(rungFor(ladder, attempt) - 1);
    List<RequiredCapability> out = new ArrayList<>(base.size() + 1);
    for (RequiredCapability rc : base) {
      if (!rc.name().equals(rung.capability())) {
        out.add(rc);
      }
    }
    out.add(rung.requirement());
    return List.copyOf(out);
  }

  /** Every problem with the ladder, each naming its field ({@code escalation[i].capability}). */
  public static List<FieldError> validate(List<EscalationRung> ladder) {
    Validator v = new Validator();
    if (ladder == null) {
      return List.of();
    }
    v.require(
        ladder.size() <= MAX_RUNGS, "escalation", "must have at most " + MAX_RUNGS + " rungs");
    for (int i = 0; i < ladder.size(); i++) {
      EscalationRung r = ladder.get(i);
      String at = "escalation[" + i + "]";
      if (r == null) {
        v.require(false, at, "must be an object");
        continue;
      }
      v.require(isCapabilityName(r.capability()), at + ".capability", CAPABILITY_RULE);
      v.unitInterval(r.minimumProficiency(), at + ".minimum_proficiency");
    }
    return v.errors();
  }
}
