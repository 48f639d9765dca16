package io.agenthive.skill;

import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.task.RequiredCapability;
import java.util.List;

/**
 * One attempt of a task, as a skill sees it. {@code fitness} is the agent's mean proficiency;
 * {@code deadline} is when the agent gives up on this attempt (its timeout).
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
    java.time.Instant deadline) {}
