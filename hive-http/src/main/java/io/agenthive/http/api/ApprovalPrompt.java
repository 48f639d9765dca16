package io.agenthive.http.api;

import io.agenthive.task.DependencyText;
import io.agenthive.task.Task;

/** An approval's prompt as its approvers read it: what its dependencies left filled in. */
final class ApprovalPrompt {
  private ApprovalPrompt() {}

  static String render(Task t) {
    var a = t.spec().gate().approval();
    return DependencyText.fill(a.prompt(), t.dependencies());
  }
}
