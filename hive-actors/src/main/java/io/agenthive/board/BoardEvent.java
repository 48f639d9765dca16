package io.agenthive.board;

import io.agenthive.common.CborSerializable;
import io.agenthive.task.Priority;
import io.agenthive.task.RequiredCapability;
import io.agenthive.task.TaskStatus;
import java.time.Instant;
import java.util.List;

/** The board's history: what entered the queue, went out to an agent, came back or left. */
public sealed interface BoardEvent extends CborSerializable {
  String taskId();

  record TaskQueued(
      String taskId, Priority priority, List<RequiredCapability> requirements, Instant at)
      implements BoardEvent {}

  record TaskDispatched(String taskId, String agentId, Instant at) implements BoardEvent {}

  record TaskRequeued(String taskId, Instant notBefore, Instant at) implements BoardEvent {}

  record TaskRemoved(String taskId, TaskStatus status, Instant at) implements BoardEvent {}
}
