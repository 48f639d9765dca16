package io.agenthive.task;

import io.agenthive.common.CborSerializable;

/**
 * What one attempt taught its agent about one capability: proficiency {@code from} → {@code to}.
 * Replaying an agent's attempts applies {@code to − from} in journal order, clamped to [0, 1].
 */
public record LearningChange(String capability, double from, double to)
    implements CborSerializable {

  public double delta() {
    return to - from;
  }
}
