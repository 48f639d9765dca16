package io.agenthive.task;

import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.common.CborSerializable;

/** The outcome of a task's last attempt. {@code qualityScore} may be null when unknown. */
public record TaskResult(
    boolean success, JsonNode output, String error, long durationMs, Double qualityScore)
    implements CborSerializable {}
