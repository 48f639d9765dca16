package io.agenthive.agent;

import io.agenthive.common.CborSerializable;
import java.time.Instant;
import java.util.List;

/**
 * An agent as queries show it. {@code performanceScore} = success_rate × min(1000 / avg_ms, 1).
 * {@code currentTaskId}: one of the tasks it runs (the only one, for an agent that runs one at a
 * time); {@code runningTasks}: how many it runs.
 */
public record AgentView(
    String id,
    String name,
    String type,
    AgentState state,
    List<Capability> capabilities,
    String skill,
    long tasksCompleted,
    long tasksFailed,
    double averageDurationMs,
    double performanceScore,
    long experienceCount,
    long tokensUsed,
    Instant createdAt,
    Instant lastActiveAt,
    String currentTaskId,
    int runningTasks,
    int maxConcurrency)
    implements CborSerializable {

  /** The agent as its journal has it: the settled state, no run in progress. */
  public static AgentView settled(Agent a) {
    return of(a, a.state(), 0, null);
  }

  /** The agent as it is now: {@code working} while it runs anything. */
  public static AgentView of(Agent a, List<String> runningTaskIds) {
    return of(a, runningTaskIds.size(), runningTaskIds.isEmpty() ? null : runningTaskIds.get(0));
  }

  /** The same from a count of runs and one of their tasks (as the read side keeps them). */
  public static AgentView of(Agent a, int running, String currentTaskId) {
    AgentState effective =
        running > 0 && a.state() == AgentState.IDLE ? AgentState.WORKING : a.state();
    return of(a, effective, running, currentTaskId);
  }

  private static AgentView of(Agent a, AgentState effectiveState, int running, String current) {
    long runs = a.completed() + a.failed();
    double avg = runs == 0 ? 0.0 : (double) a.totalDurationMs() / runs;
    double successRate = runs == 0 ? 0.0 : (double) a.completed() / runs;
    double speed = avg <= 0 ? 1.0 : Math.min(1000.0 / avg, 1.0);
    return new AgentView(
        a.id(),
        a.name(),
        a.type(),
        effectiveState,
        a.capabilities(),
        a.skill() == null ? null : a.skill().name(),
        a.completed(),
        a.failed(),
        avg,
        successRate * speed,
        a.experienceCount(),
        a.tokensUsed(),
        a.createdAt(),
        a.lastActiveAt(),
        current,
        running,
        a.maxConcurrency());
  }
}
