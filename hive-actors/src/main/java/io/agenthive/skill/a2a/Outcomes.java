package io.agenthive.skill.a2a;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agenthive.skill.SkillResult;

/**
 * A settled remote task as the attempt's result. {@code completed} gives the output; {@code failed}
 * and a cancel the hub did not ask for fail the attempt with the remote reason, retried by the
 * task's policy; {@code rejected} fails it for good (the agent refuses the task); {@code
 * input-required} and {@code auth-required} fail it for good too: the hub cannot yet hold a
 * conversation with a remote agent or hand it credentials mid-task.
 */
final class Outcomes {
  private Outcomes() {}

  static SkillResult of(RemoteTask task, ObjectMapper json) {
    String reason = task.statusText().isBlank() ? "no reason given" : task.statusText();
    return switch (task.state()) {
      case COMPLETED -> SkillResult.succeeded(task.output(json), null);
      case FAILED -> SkillResult.failed("the remote A2A task failed: " + reason);
      case CANCELED -> SkillResult.failed("the remote A2A agent cancelled the task: " + reason);
      case REJECTED -> SkillResult.failedFinal("the remote A2A agent rejected the task: " + reason);
      case INPUT_REQUIRED ->
          SkillResult.failedFinal(
              "the remote A2A agent asked for more input (input-required), which the hub does not"
                  + " support yet: "
                  + reason);
      case AUTH_REQUIRED ->
          SkillResult.failedFinal(
              "the remote A2A agent asked for authorization mid-task (auth-required), which the hub"
                  + " does not support yet; give credentials with headers_from_env: "
                  + reason);
      case SUBMITTED, WORKING, UNKNOWN ->
          SkillResult.failed("the remote A2A task ended in state " + task.state());
    };
  }
}
