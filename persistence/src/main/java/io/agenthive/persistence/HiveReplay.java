package io.agenthive.persistence;

import akka.actor.typed.ActorSystem;
import akka.stream.javadsl.Sink;
import io.agenthive.agent.Agent;
import io.agenthive.task.Task;
import io.agenthive.task.TaskStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Rebuilds the hive's state as of an instant from the journal alone: every event journaled at or
 * before it, in journal order, applied with the same {@code apply} functions the live entities use.
 * Nothing is asked of the running actors, so it works on a stopped hub's data too.
 */
public final class HiveReplay {
  private final ActorSystem<?> system;
  private final HiveEventFeed feed;
  private final int crashMemory;

  public HiveReplay(ActorSystem<?> system, HiveEventFeed feed) {
    this.system = system;
    this.feed = feed;
    this.crashMemory = HiveFold.crashMemory(system);
  }

  /** The hive at an instant: agents and tasks (oldest first), and the last offset applied. */
  public record HiveState(Instant at, long offset, List<Agent> agents, List<Task> tasks) {

    /**
     * The tasks each agent was running at the instant (assigned or running, in the order they were
     * submitted). An agent's journal holds its settled state only ("working" is derived from runs
     * in progress, as live), so an agent shown without these would read idle beside the tasks it
     * runs. A dataset task's job runs it, not an agent: it names none and is in no list.
     */
    public Map<String, List<String>> runsByAgent() {
      Map<String, List<String>> runs = new LinkedHashMap<>();
      for (Task t : tasks) {
        boolean onAgent = t.status() == TaskStatus.ASSIGNED || t.status() == TaskStatus.RUNNING;
        if (onAgent && t.assignedAgent() != null) {
          runs.computeIfAbsent(t.assignedAgent(), id -> new ArrayList<>()).add(t.id());
        }
      }
      return runs;
    }
  }

  public CompletionStage<HiveState> at(Instant at) {
    // journal order follows write time closely but not exactly under concurrency: read a little
    // past the instant and keep only what was written at or before it
    Instant readUntil = at.plusSeconds(1);
    return feed.after(0, false)
        .takeWhile(e -> !e.timestamp().isAfter(readUntil))
        .filter(e -> !e.timestamp().isAfter(at))
        .runWith(Sink.fold(new HiveFold(crashMemory), HiveFold::apply), system)
        .thenApply(
            f ->
                new HiveState(
                    at,
                    f.offset,
                    f.agents.values().stream().filter(Agent::registered).toList(),
                    f.tasks.values().stream()
                        .filter(Task::exists)
                        .sorted(Comparator.comparing(Task::createdAt))
                        .toList()));
  }
}
