package io.agenthive.matcher;

import io.agenthive.agent.AgentState;
import io.agenthive.common.CborSerializable;
import io.agenthive.task.Priority;
import io.agenthive.task.TaskStatus;
import java.time.Instant;
import java.util.Map;

/**
 * The hive in numbers, kept by the matcher as things happen (never counted per request) and
 * published to every node. {@code tasks} counts every task ever submitted by status; {@code
 * queueDepth} the tasks waiting for an agent; {@code inFlight} those handed to an agent and not yet
 * back; {@code meanProficiency} is over every capability of every agent not retired. {@code tasks}
 * counts as running the attempts at work on agents only; {@code datasetJobs} the dataset tasks
 * whose jobs are at work (their status is running too, but their chunks are what agents run).
 */
public record HiveCounts(
    Map<AgentState, Long> agents,
    Map<TaskStatus, Long> tasks,
    Map<Priority, Integer> queueDepth,
    int inFlight,
    int freeAgents,
    double meanProficiency,
    double completionsPerSecondLastMinute,
    Instant at,
    Map<String, Integer> waiting,
    int datasetJobs)
    implements CborSerializable {

  /**
   * {@code waiting}: the waiting tasks by why they wait ({@link WaitingReasons}); older nodes send
   * none.
   */
  public HiveCounts {
    waiting = waiting == null ? Map.of() : waiting;
  }

  public int pending() {
    return queueDepth.values().stream().mapToInt(Integer::intValue).sum();
  }

  public long knownAgents() {
    return agents.values().stream().mapToLong(Long::longValue).sum();
  }
}
