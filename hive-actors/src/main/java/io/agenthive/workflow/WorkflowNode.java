package io.agenthive.workflow;

import io.agenthive.common.CborSerializable;
import io.agenthive.task.TaskSpec;
import java.util.List;

/**
 * A step as the workflow journals it: its name, the id of its task, the spec that task is submitted
 * with (its dependencies set) and the ids of the tasks it waits for.
 */
public record WorkflowNode(String name, String taskId, TaskSpec spec, List<String> dependsOn)
    implements CborSerializable {
  public WorkflowNode {
    dependsOn = List.copyOf(dependsOn);
  }
}
