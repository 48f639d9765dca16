package io.agenthive.workflow;

import io.agenthive.common.CborSerializable;
import java.time.Instant;
import java.util.List;

/** A workflow's state, rebuilt from its events; {@code nodes} null: nothing under this id. */
public record Workflow(
    String id,
    String name,
    List<WorkflowNode> nodes,
    Instant createdAt,
    String by,
    boolean cancelled,
    String endedAs,
    Instant endedAt)
    implements CborSerializable {

  static Workflow empty(String id) {
    return new Workflow(id, null, null, null, null, false, null, null);
  }

  public boolean exists() {
    return nodes != null;
  }

  /** running, cancelling (cancelled, steps still stopping), or how it ended. */
  public String status() {
    return endedAs != null ? endedAs : cancelled ? "cancelling" : "running";
  }

  Workflow apply(WorkflowEvent event) {
    if (event instanceof WorkflowEvent.WorkflowSubmitted e) {
      return new Workflow(id, e.name(), e.nodes(), e.at(), e.by(), false, null, null);
    } else if (event instanceof WorkflowEvent.WorkflowCancelled) {
      return new Workflow(id, name, nodes, createdAt, by, true, endedAs, endedAt);
    } else if (event instanceof WorkflowEvent.WorkflowUnreadable e) {
      return new Workflow(id, name, nodes, createdAt, by, cancelled, "failed", e.at());
    } else if (event instanceof WorkflowEvent.WorkflowEnded e) {
      return new Workflow(id, name, nodes, createdAt, by, cancelled, e.status(), e.at());
    }
    throw new IllegalStateException("unknown event " + event);
  }
}
