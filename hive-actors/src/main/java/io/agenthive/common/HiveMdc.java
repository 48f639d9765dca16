package io.agenthive.common;

import org.slf4j.MDC;

/**
 * The MDC keys the hub's log lines carry, so a JSON log can be filtered by task, agent or request.
 * Set around the log call itself ({@link #about}), not per message with {@code Behaviors.withMdc}:
 * the task entities and agents log rarely but handle every task's messages, and an interceptor on
 * each message would cost the hot path what a few warnings never need.
 */
public final class HiveMdc {
  public static final String TASK_ID = "taskId";
  public static final String AGENT_ID = "agentId";
  public static final String REQUEST_ID = "requestId";

  private HiveMdc() {}

  /** Runs {@code log} with the MDC naming the task and/or agent (null: not named). */
  public static void about(String taskId, String agentId, Runnable log) {
    try (MDC.MDCCloseable task = taskId == null ? null : MDC.putCloseable(TASK_ID, taskId);
        MDC.MDCCloseable agent = agentId == null ? null : MDC.putCloseable(AGENT_ID, agentId)) {
      log.run();
    }
  }
}
