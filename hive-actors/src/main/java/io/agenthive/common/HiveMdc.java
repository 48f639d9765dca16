package io.agenthive.common;

/**
 * The MDC keys the hub's log lines carry, so a JSON log can be filtered by task, agent or request:
 * actors set theirs with {@code Behaviors.withMdc}, the HTTP side its request id.
 */
public final class HiveMdc {
  public static final String TASK_ID = "taskId";
  public static final String AGENT_ID = "agentId";
  public static final String REQUEST_ID = "requestId";

  private HiveMdc() {}
}
