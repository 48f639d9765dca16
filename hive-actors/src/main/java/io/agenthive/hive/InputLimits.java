package io.agenthive.hive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agenthive.agent.AgentSpec;
import io.agenthive.common.FieldError;
import io.agenthive.common.HiveLimits;
import io.agenthive.task.TaskSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of a submission or registration that {@code hive.limits} bounds, checked before
 * anything is journaled: a task's input and an agent's skill config, as JSON bytes. Each excess is
 * a field error that names the field and the setting.
 */
final class InputLimits {
  private static final ObjectMapper JSON = new ObjectMapper();

  private InputLimits() {}

  static List<FieldError> task(TaskSpec spec, HiveLimits limits, String prefix) {
    List<FieldError> errors = new ArrayList<>();
    long size = spec == null ? 0 : jsonBytes(spec.input());
    if (size > limits.maxTaskInputBytes()) {
      errors.add(
          new FieldError(
              prefix + "input",
              "is "
                  + size
                  + " bytes of JSON; at most "
                  + limits.maxTaskInputBytes()
                  + " are accepted (hive.limits.max-task-input); larger inputs are datasets"
                  + " (POST /api/tasks/upload)"));
    }
    return errors;
  }

  static List<FieldError> agent(AgentSpec spec, HiveLimits limits) {
    List<FieldError> errors = new ArrayList<>();
    long size = spec.skill() == null ? 0 : jsonBytes(spec.skill().config());
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

  /** Bytes {@code node} takes as JSON, counted without keeping them. */
  static long jsonBytes(JsonNode node) {
    if (node == null) {
      return 0;
    }
    Counting out = new Counting();
    try {
      JSON.writeValue(out, node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.count;
  }

  private static final class Counting extends OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }
  }
}
