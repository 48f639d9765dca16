package io.agenthive.task.legacy;

import io.agenthive.common.CborSerializable;
import io.agenthive.task.Priority;
import io.agenthive.task.RequiredCapability;
import io.agenthive.task.TaskStatus;
import java.time.Instant;
import java.util.List;

/**
 * Events that journals written before the in-memory matcher hold and nothing writes any more: the
 * task board's queue history and the per-node coordinator's list of agents. They stay readable (the
 * event feed, export and time travel show them) through {@link LegacyClassNames}.
 */
public final class LegacyEvents {
  private LegacyEvents() {}

  /** The old coordinator's note that an agent lived on its node. */
  public record AgentAdded(String agentId, Instant at) implements CborSerializable {}

  public record TaskQueued(
      String taskId, Priority priority, List<RequiredCapability> requirements, Instant at)
      implements CborSerializable {}

  public record TaskDispatched(String taskId, String agentId, Instant at)
      implements CborSerializable {}

  public record TaskRequeued(String taskId, Instant notBefore, Instant at)
      implements CborSerializable {}

  public record TaskRemoved(String taskId, TaskStatus status, Instant at)
      implements CborSerializable {}
}
