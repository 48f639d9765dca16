package io.agenthive.budget;

import io.agenthive.common.CborSerializable;
import java.time.Instant;

/**
 * A budget that is spent, or would be by one more task like the ones before: what it holds back
 * ({@code scope} and {@code target}), how much was spent of the limit, and when its period resets
 * (null: never, until the limit is raised). Its reason is always {@code budget_exhausted}.
 */
public record Hold(
    String budget,
    Budget.Scope scope,
    String target,
    Budget.Metric metric,
    double spent,
    double limit,
    Instant resetsAt)
    implements CborSerializable {
  public static final String REASON = "budget_exhausted";
}
