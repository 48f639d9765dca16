package io.agenthive.skill.tools;

import io.agenthive.access.Role;

/**
 * Who calls a tool: the agent, with the role its config gives its tools (never above operator), and
 * the attempt it runs. {@code attemptId} ({@code <task id>:<attempt>}) goes to every tool as an
 * idempotency key: tool side effects are at least once, since a crashed attempt runs again.
 */
public record ToolCaller(String agentId, Role role, String attemptId) {}
