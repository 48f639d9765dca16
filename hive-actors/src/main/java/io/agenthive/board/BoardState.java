package io.agenthive.board;

import io.agenthive.common.CborSerializable;
import io.agenthive.routing.RoutingPolicy.PendingTask;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The board's durable state: tasks waiting (in arrival order) and tasks out with an agent. Maps
 * are copied on change, never mutated, because a snapshot is serialized while the actor goes on.
 */
public record BoardState(
    Map<String, PendingTask> pending, Map<String, InFlight> inFlight, long nextSequence)
    implements CborSerializable {

  /** A task out with an agent; keeps its queue entry so a retry keeps its place. */
  public record InFlight(String agentId, PendingTask entry) implements CborSerializable {}

  public static BoardState empty() {
    return new BoardState(Map.of(), Map.of(), 0);
  }

  public boolean knows(String taskId) {
    return pending.containsKey(taskId) || inFlight.containsKey(taskId);
  }

  public BoardState apply(BoardEvent event) {
    if (event instanceof BoardEvent.TaskQueued e) {
      Map<String, PendingTask> p = new LinkedHashMap<>(pending);
      p.put(e.taskId(), new PendingTask(
          e.taskId(), e.priority(), e.requirements(), nextSequence, e.at(), null));
      return new BoardState(freeze(p), inFlight, nextSequence + 1);
    } else if (event instanceof BoardEvent.TaskDispatched e) {
      PendingTask entry = pending.get(e.taskId());
      if (entry == null) {
        return this;
      }
      Map<String, PendingTask> p = new LinkedHashMap<>(pending);
      p.remove(e.taskId());
      Map<String, InFlight> f = new HashMap<>(inFlight);
      f.put(e.taskId(), new InFlight(e.agentId(), entry));
      return new BoardState(freeze(p), freeze(f), nextSequence);
    } else if (event instanceof BoardEvent.TaskRequeued e) {
      InFlight out = inFlight.get(e.taskId());
      if (out == null) {
        return this;
      }
      Map<String, InFlight> f = new HashMap<>(inFlight);
      f.remove(e.taskId());
      Map<String, PendingTask> p = new LinkedHashMap<>(pending);
      PendingTask was = out.entry();
      p.put(e.taskId(), new PendingTask(was.taskId(), was.priority(), was.requirements(),
          was.sequence(), was.queuedAt(), e.notBefore()));
      return new BoardState(freeze(p), freeze(f), nextSequence);
    } else if (event instanceof BoardEvent.TaskRemoved e) {
      Map<String, PendingTask> p = pending;
      Map<String, InFlight> f = inFlight;
      if (pending.containsKey(e.taskId())) {
        p = new LinkedHashMap<>(pending);
        p.remove(e.taskId());
      }
      if (inFlight.containsKey(e.taskId())) {
        f = new HashMap<>(inFlight);
        f.remove(e.taskId());
      }
      return new BoardState(freeze(p), freeze(f), nextSequence);
    }
    throw new IllegalStateException("unknown event " + event);
  }

  private static <V> Map<String, V> freeze(Map<String, V> map) {
    return Collections.unmodifiableMap(map);
  }
}
