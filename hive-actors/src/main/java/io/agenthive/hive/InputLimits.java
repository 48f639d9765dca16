package io.agenthive.hive;

import io.agenthive.agent.AgentSpec;
import io.agenthive.common.FieldError;
import io.agenthive.common.HiveLimits;
import io.agenthive.common.JsonSize;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of an agent's registration that {@code hive.limits} bounds, checked before anything is
 * journaled: its skill config, as JSON bytes (a task's input: {@link
 * io.agenthive.task.TaskInputLimits}). An excess is a field error that names the field and the
 * setting.
 */
final class InputLimits {
  private InputLimits() {}

  static List<FieldError> agent(AgentSpec spec, HiveLimits limits) {
    List<FieldError> errors = new ArrayList<>();
    long size = spec.skill() == null ? 0 : JsonSize.bytes(spec.skill().config());
    if (size > limits.maxSkillConfigBytes()) {
      errors.add(
          new FieldError(
              "skill.config",
              "is "
                  + size
                  + " bytes of JSON; at most "
                  + limits.maxSkillConfigBytes()
                  + " are accepted (hive.limits.max-skill-config)"));
    }
    return errors;
  }
}
