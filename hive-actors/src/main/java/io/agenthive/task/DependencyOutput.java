package io.agenthive.task;

import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.common.CborSerializable;

/**
 * What one dependency left for the task that waited for it: its id, its name (in its workflow, or
 * its id), how it ended and its output (null unless it completed).
 */
public record DependencyOutput(String taskId, String name, TaskStatus status, JsonNode output)
    implements CborSerializable {}
