package io.agenthive.skill;

import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.task.DependencyOutput;
import io.agenthive.task.RequiredCapability;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One attempt of a task, as a skill sees it. {@code dependencies}: what the tasks it waited for
 * left it (empty for a task that waited for none). {@code fitness} is the agent's mean proficiency;
 * {@code deadline} is when the agent gives up on this attempt (its timeout). {@code run}: the
 * attempt's number without the lost attempts before it (an attempt run again after its node died is
 * the same run): {@link #runId} is what tools get as an idempotency key.
 */
public record SkillRequest(
    String taskId,
    int attempt,
    String title,
    String description,
    String type,
    JsonNode input,
    List<RequiredCapability> requiredCapabilities,
    double fitness,
    Instant deadline,
    List<DependencyOutput> dependencies,
    int run) {

  public SkillRequest {
    dependencies = dependencies == null ? List.of() : List.copyOf(dependencies);
    run = run < 1 ? attempt : run;
  }

  public SkillRequest(
      String taskId,
      int attempt,
      String title,
      String description,
      String type,
      JsonNode input,
      List<RequiredCapability> requiredCapabilities,
      double fitness,
      Instant deadline,
      List<DependencyOutput> dependencies) {
    this(
        taskId,
        attempt,
        title,
        description,
        type,
        input,
        requiredCapabilities,
        fitness,
        deadline,
        dependencies,
        attempt);
  }

  /** {@code <task id>:<run>}: the same for an attempt run again after a crash. */
  public String runId() {
    return taskId + ":" + run;
  }

  public SkillRequest(
      String taskId,
      int attempt,
      String title,
      String description,
      String type,
      JsonNode input,
      List<RequiredCapability> requiredCapabilities,
      double fitness,
      Instant deadline) {
    this(
        taskId,
        attempt,
        title,
        description,
        type,
        input,
        requiredCapabilities,
        fitness,
        deadline,
        List.of());
  }

  /** The dependencies' outputs by task id, as skills and workers receive them. */
  public Map<String, JsonNode> dependencyOutputs() {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (var d : dependencies) {
      out.put(d.taskId(), d.output());
    }
    return out;
  }
}
