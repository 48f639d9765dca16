package io.agenthive.task;

import io.agenthive.common.CborSerializable;
import io.agenthive.common.FieldError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Where a task sits in a graph of tasks: the tasks it waits for ({@code on}, task ids), whether it
 * runs when one of them fails or is cancelled ({@code runOnFailure}; otherwise it fails with {@code
 * dependency_failed}), and, for a task of a workflow, that workflow and the task's name in it. A
 * task with an empty {@code on} is an ordinary task (a workflow's first steps are). A subtask also
 * names its {@code parentId} (the task that made it, usually from an agent's tool loop) and its
 * {@code depth} in that tree (1 for a child of a task without a parent): cancelling the parent
 * cancels it, and {@code hive.delegation.*} bounds the depth and the children per parent.
 */
public record Dependencies(
    List<String> on,
    boolean runOnFailure,
    String workflowId,
    String name,
    String parentId,
    int depth)
    implements CborSerializable {
  public static final int MAX_DEPENDENCIES = 1_000;

  public Dependencies {
    on = on == null ? List.of() : List.copyOf(on);
  }

  public Dependencies(List<String> on, boolean runOnFailure, String workflowId, String name) {
    this(on, runOnFailure, workflowId, name, null, 0);
  }

  /** A subtask of {@code parentId}, at {@code depth} in its tree. */
  public Dependencies withParent(String parent, int level) {
    return new Dependencies(on, runOnFailure, workflowId, name, parent, level);
  }

  /** Only a parent: a subtask that waits for no task. */
  public static Dependencies ofParent(String parent, int level) {
    return new Dependencies(List.of(), false, null, null, parent, level);
  }

  public boolean waits() {
    return !on.isEmpty();
  }

  /** This task's name for prompt templates: its workflow name, or its id outside a workflow. */
  public static String nameOf(String taskId, Dependencies deps) {
    return deps != null && deps.name() != null ? deps.name() : taskId;
  }

  List<FieldError> validate() {
    List<FieldError> errors = new ArrayList<>();
    if (on.size() > MAX_DEPENDENCIES) {
      errors.add(new FieldError("depends_on", "must list at most " + MAX_DEPENDENCIES + " tasks"));
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < on.size(); i++) {
      String id = on.get(i);
      if (id == null || id.isBlank() || id.length() > 200) {
        errors.add(new FieldError("depends_on[" + i + "]", "must be a task id"));
      } else if (!seen.add(id)) {
        errors.add(new FieldError("depends_on[" + i + "]", "lists " + id + " twice"));
      }
    }
    return errors;
  }
}
