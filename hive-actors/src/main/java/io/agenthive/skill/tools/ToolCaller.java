package io.agenthive.skill.tools;

import io.agenthive.access.Role;

/**
 * Who calls a tool: the agent, with the role its config gives its tools (never above operator), and
 * the attempt it runs. {@code attemptId} ({@code <task id>:<run>}, see {@code SkillRequest.runId})
 * goes to every tool as an idempotency key: tool side effects are at least once, since an attempt
 * lost in a crash runs again, and it runs again with the same id. {@code deadline}: when the loop
 * must end; a tool that waits (wait_for_task) waits no longer.
 */
public record ToolCaller(
    String agentId, Role role, String taskId, String attemptId, java.time.Instant deadline) {}
