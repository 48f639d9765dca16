package io.agenthive.task;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** What an approval's decision leaves as its result: the decision itself is the output. */
final class Decisions {
  private Decisions() {}

  /**
   * {@code {decision, comment, decided_by, decided_at, output}}: what its dependents receive. A
   * rejection's result is a failure whose error says who rejected it and why.
   */
  static TaskResult result(TaskEvent.TaskDecided e, long waitedMs) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("decision", e.approved() ? "approve" : "reject");
    out.put("comment", e.comment());
    out.put("decided_by", e.by());
    out.put("decided_at", e.at().toString());
    if (e.output() != null && !e.output().isNull()) {
      out.set("output", e.output());
    }
    if (e.approved()) {
      return new TaskResult(true, out, null, waitedMs, null);
    }
    String why = e.comment() == null || e.comment().isBlank() ? "" : ": " + e.comment();
    return new TaskResult(false, out, "rejected by " + e.by() + why, waitedMs, null);
  }
}
