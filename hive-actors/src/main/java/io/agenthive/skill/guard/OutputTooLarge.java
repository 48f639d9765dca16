package io.agenthive.skill.guard;

/**
 * An answer or output larger than {@code hive.limits.max-output}: the attempt fails with reason
 * {@code output_too_large} and the task's retry policy applies. It says nothing about the
 * endpoint's health, so it never opens a circuit.
 */
public final class OutputTooLarge extends ProviderFailure {
  private static final long serialVersionUID = 1L;
  public static final String REASON = "output_too_large";

  public OutputTooLarge(String what, long limit) {
    super(
        "output_too_large: " + what + " passed " + limit + " bytes (hive.limits.max-output)",
        0,
        true,
        null);
  }
}
