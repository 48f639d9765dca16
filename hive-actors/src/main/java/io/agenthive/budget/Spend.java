package io.agenthive.budget;

import io.agenthive.common.CborSerializable;
import java.time.Instant;

/**
 * What one attempt of a task spent: tokens (as its agent's record counts them) and their cost by
 * the price table, with everything a budget may be about: the agent, the workflow, the principal
 * who submitted the task, the model.
 */
public record Spend(
    String taskId,
    int attempt,
    String agentId,
    String workflowId,
    String principal,
    String model,
    long tokens,
    double cost,
    Instant at)
    implements CborSerializable {

  String key() {
    return taskId + "#" + attempt;
  }
}
