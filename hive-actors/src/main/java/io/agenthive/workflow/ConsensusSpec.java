package io.agenthive.workflow;

import io.agenthive.common.CborSerializable;
import io.agenthive.common.FieldError;
import io.agenthive.common.Validator;
import io.agenthive.task.TaskSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What makes a workflow step a consensus: its task runs on {@code voters} agents, and their answers
 * are combined by {@code rule}. {@code match} says when two answers are the same for a majority;
 * {@code judge} is the task of the agent that picks the winner (required iff the rule is judge).
 */
public record ConsensusSpec(int voters, Rule rule, Match match, TaskSpec judge)
    implements CborSerializable {
  public static final int MIN_VOTERS = 2;
  public static final int MAX_VOTERS = 7;

  /** How the answers are combined. */
  public enum Rule {
    MAJORITY,
    JUDGE;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** When two answers count as the same: equal JSON, or equal text once normalised. */
  public enum Match {
    EXACT,
    NORMALISED;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public ConsensusSpec {
    match = match == null ? Match.NORMALISED : match;
  }

  /** Problems of shape, each field prefixed with {@code at} ({@code tasks[1].}). */
  List<FieldError> validate(String at) {
    Validator v = new Validator();
    v.require(
        voters >= MIN_VOTERS && voters <= MAX_VOTERS,
        at + "voters",
        "must be " + MIN_VOTERS + "-" + MAX_VOTERS);
    v.require(rule != null, at + "rule", "must be majority or judge");
    v.require(
        rule != Rule.JUDGE || judge != null, at + "judge", "is required when the rule is judge");
    v.require(rule != Rule.MAJORITY || judge == null, at + "judge", "belongs to the rule judge");
    List<FieldError> errors = new ArrayList<>(v.errors());
    if (judge != null) {
      for (FieldError e : judge.validate()) {
        errors.add(new FieldError(at + "judge." + e.field(), e.message()));
      }
      if (judge.requiredCapabilities() == null || judge.requiredCapabilities().isEmpty()) {
        errors.add(new FieldError(at + "judge.required_capabilities", "must name 1 or more"));
      }
    }
    return errors;
  }
}
