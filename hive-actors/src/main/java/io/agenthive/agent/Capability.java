package io.agenthive.agent;

import io.agenthive.common.CborSerializable;

/** What an agent can do and how well: proficiency and learning rate are both in [0, 1]. */
public record Capability(String name, double proficiency, double learningRate)
    implements CborSerializable {

  public static final double DEFAULT_LEARNING_RATE = 0.1;

  public Capability withProficiency(double value) {
    return new Capability(name, value, learningRate);
  }
}
