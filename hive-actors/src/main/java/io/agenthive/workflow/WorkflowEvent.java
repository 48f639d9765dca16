package io.agenthive.workflow;

import io.agenthive.common.CborSerializable;
import java.time.Instant;
import java.util.List;

/**
 * A workflow's history. One event accepts every step at once (so a workflow is taken whole or not
 * at all); the steps' own histories are their tasks'. Class names are stable: Jackson stores them.
 */
public sealed interface WorkflowEvent extends CborSerializable {
  Instant at();

  /** {@code by}: the principal who submitted it. */
  record WorkflowSubmitted(
      String workflowId, String name, List<WorkflowNode> nodes, Instant at, String by)
      implements WorkflowEvent {}

  record WorkflowCancelled(Instant at, String by) implements WorkflowEvent {}

  /** Every step has ended; {@code status}: completed, failed or cancelled. */
  record WorkflowEnded(String status, Instant at) implements WorkflowEvent {}

  /**
   * Stands in, when the journal is read, for an event of this workflow that could not be
   * deserialized: never written. The workflow then counts as failed (its steps keep their own
   * histories); the event is listed in the quarantine ({@code GET /api/admin/quarantine}).
   */
  record WorkflowUnreadable(long sequenceNr, String reason, Instant at) implements WorkflowEvent {}
}
