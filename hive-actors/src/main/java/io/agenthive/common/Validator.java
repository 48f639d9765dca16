package io.agenthive.common;

import java.util.ArrayList;
import java.util.List;

/** Collects every field error of a request instead of stopping at the first one. */
public final class Validator {
  private final List<FieldError> errors = new ArrayList<>();

  public Validator require(boolean ok, String field, String message) {
    if (!ok) {
      errors.add(new FieldError(field, message));
    }
    return this;
  }

  public Validator unitInterval(double value, String field) {
    return require(
        !Double.isNaN(value) && value >= 0.0 && value <= 1.0, field, "must be between 0 and 1");
  }

  public List<FieldError> errors() {
    return List.copyOf(errors);
  }
}
