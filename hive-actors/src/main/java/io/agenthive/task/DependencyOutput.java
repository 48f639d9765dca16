package io.agenthive.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.agenthive.common.CborSerializable;
import io.agenthive.common.Personal;
import java.util.ArrayList;
import java.util.List;

/**
 * What one dependency left for the task that waited for it: its id, its name (in its workflow, or
 * its id), how it ended and its output (null unless it completed). An output stored beside its
 * event is passed as its reference ({@link StoredOutput#reference}). {@code subject}: the
 * dependency's subject, if it named one (docs/erasure.md).
 */
public record DependencyOutput(
    String taskId, String name, TaskStatus status, @Personal JsonNode output, String subject)
    implements CborSerializable {

  public DependencyOutput(String taskId, String name, TaskStatus status, JsonNode output) {
    this(taskId, name, status, output, null);
  }

  /**
   * This output as a task of {@code receiver} (a subject, or null) may keep it: another subject's
   * output is not copied into its history, where that subject's erasure could not reach it; the
   * task is told where to read it instead.
   */
  public DependencyOutput passedTo(String receiver) {
    if (subject == null || subject.equals(receiver) || output == null) {
      return this;
    }
    return notPassed("it belongs to another subject", null);
  }

  /** This output replaced by why it was not passed, and where to read it. */
  private DependencyOutput notPassed(String reason, Long size) {
    var why = JsonNodeFactory.instance.objectNode().put("reason", reason);
    if (size != null) {
      why.put("size", size);
    }
    why.put("url", "/api/tasks/" + taskId + "/result");
    JsonNode where = JsonNodeFactory.instance.objectNode().set("output_not_passed", why);
    return new DependencyOutput(taskId, name, status, where, subject);
  }

  /**
   * All outputs travel in one message and one event: they are passed in order until together they
   * pass {@code budgetChars} of JSON, and the rest as where to read them, so a step waiting for
   * many large outputs is still released.
   */
  public static List<DependencyOutput> within(List<DependencyOutput> all, long budgetChars) {
    List<DependencyOutput> out = new ArrayList<>(all.size());
    long used = 0;
    for (DependencyOutput d : all) {
      long size = d.output() == null ? 0 : d.output().toString().length();
      if (used + size <= budgetChars) {
        used += size;
        out.add(d);
      } else {
        out.add(d.notPassed("the dependencies' outputs together are too large", size));
      }
    }
    return out;
  }
}
