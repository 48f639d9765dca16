package io.agenthive.workflow;

import io.agenthive.common.CborSerializable;
import io.agenthive.common.FieldError;
import io.agenthive.task.TaskSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a client submits as one workflow: named steps, each an ordinary task spec and the names (or
 * ids of existing tasks) it depends on. {@code idempotencyKey} names the workflow, so a retried
 * submission finds the first.
 */
public record WorkflowSpec(String name, List<Step> steps, String idempotencyKey)
    implements CborSerializable {
  public static final int MAX_STEPS = 5_000;
  static final Pattern STEP_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

  /**
   * One step: {@code dependsOn} holds step names of this workflow or ids of existing tasks; {@code
   * consensus} (null for an ordinary step) runs its task on several agents ({@link
   * ConsensusSteps}).
   */
  public record Step(
      String name,
      TaskSpec task,
      List<String> dependsOn,
      boolean runOnDependencyFailure,
      ConsensusSpec consensus)
      implements CborSerializable {
    public Step {
      dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
    }

    public Step(
        String name, TaskSpec task, List<String> dependsOn, boolean runOnDependencyFailure) {
      this(name, task, dependsOn, runOnDependencyFailure, null);
    }
  }

  public WorkflowSpec {
    steps = steps == null ? List.of() : List.copyOf(steps);
  }

  /** Problems of shape, each naming its field; the graph's are {@link WorkflowGraph}'s. */
  public List<FieldError> validate() {
    List<FieldError> errors = new ArrayList<>();
    if (name != null && (name.isBlank() || name.length() > 200)) {
      errors.add(new FieldError("name", "must be 1-200 characters"));
    }
    if (steps.isEmpty() || steps.size() > MAX_STEPS) {
      errors.add(new FieldError("tasks", "must hold 1-" + MAX_STEPS + " tasks"));
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < steps.size(); i++) {
      Step s = steps.get(i);
      String at = "tasks[" + i + "]";
      if (s.name() == null || !STEP_NAME.matcher(s.name()).matches()) {
        errors.add(
            new FieldError(
                at + ".name", "must be 1-64 lower-case letters, digits, '_' or '-', unique"));
      } else if (!names.add(s.name())) {
        errors.add(new FieldError(at + ".name", "names " + s.name() + " twice"));
      }
      if (s.task().idempotencyKey() != null) {
        errors.add(
            new FieldError(
                at + ".idempotency_key", "is the workflow's to give: set idempotency_key on it"));
      }
      if (s.task().hasDataset()) {
        errors.add(new FieldError(at + ".dataset", "dataset tasks cannot be workflow steps"));
      }
      for (FieldError e : s.task().validate()) {
        errors.add(new FieldError(at + "." + e.field(), e.message()));
      }
      if (s.consensus() != null) {
        errors.addAll(s.consensus().validate(at + "."));
      }
      Set<String> seen = new HashSet<>();
      for (int j = 0; j < s.dependsOn().size(); j++) {
        String d = s.dependsOn().get(j);
        if (d == null || d.isBlank()) {
          errors.add(new FieldError(at + ".depends_on[" + j + "]", "must be a name or task id"));
        } else if (!seen.add(d)) {
          errors.add(new FieldError(at + ".depends_on[" + j + "]", "lists " + d + " twice"));
        }
      }
    }
    return errors;
  }
}
