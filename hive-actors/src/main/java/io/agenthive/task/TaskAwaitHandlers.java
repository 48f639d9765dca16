package io.agenthive.task;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.ActorContext;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.persistence.typed.javadsl.ReplyEffect;
import io.agenthive.common.LocalOnly;
import io.agenthive.task.TaskProtocol.ChildEnded;
import io.agenthive.task.TaskProtocol.Wake;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A parent whose attempt handed its work to subtasks ({@link TaskEvent.TaskAwaitingSubtasks}) waits
 * for them blocked, its agent's slot free. Each subtask tells its parent when it ends ({@link
 * ChildEnded}); the parent then asks the subtasks it awaits and has not yet seen ended how they
 * stand and, once all have ended, releases itself as a workflow releases a step: queued again,
 * their outputs added to its dependencies ({@code subtask-1}, {@code subtask-2}, ..., numbered on
 * from an earlier wait's). A word lost with a node costs a wake-up: an awaiting parent's wake-up
 * time ({@link TaskWakeAt}) has the matcher tell it to look, and again every {@link #LOOK_AGAIN}
 * until it moves. Apart from {@link TaskEntity} so that file stays about the common path.
 */
final class TaskAwaitHandlers {
  // as a workflow step's: outputs past this many characters of JSON are passed as where to read
  private static final long PASSED_OUTPUTS_BUDGET = 1_000_000;
  // how often a parent looks at its subtasks when none has said it ended: each word lost with a
  // node costs at most this, and thousands of waiting parents cost few asks a second
  static final Duration LOOK_AGAIN = Duration.ofSeconds(30);
  static final String NAME_PREFIX = "subtask-";

  /** How the subtasks asked stood (null: an ask failed; a later look asks again). */
  record SubtasksLooked(List<String> awaited, List<Task> subtasks)
      implements TaskProtocol.Command, LocalOnly {}

  private final TaskEntity entity;
  private final TaskGateHandlers gates;
  private final TaskDependencyHandlers dependencies;
  private final ActorSystem<?> system;
  private final Duration askTimeout;
  // the awaited subtasks seen ended in this incarnation: asked once each, not at every look
  private final Map<String, Task> seenEnded = new HashMap<>();

  TaskAwaitHandlers(
      TaskEntity entity,
      TaskGateHandlers gates,
      TaskDependencyHandlers dependencies,
      ActorContext<TaskProtocol.Command> context,
      Duration askTimeout) {
    this.entity = entity;
    this.gates = gates;
    this.dependencies = dependencies;
    this.system = context.getSystem();
    this.askTimeout = askTimeout;
  }

  /**
   * After each journaled change: a subtask that has just ended tells its parent, and a parent that
   * has just begun to wait looks at once (a subtask that ended while the attempt still ran told a
   * parent that was not waiting yet).
   */
  void afterChange(Task before, Task after) {
    if (awaits(after) && !awaits(before)) {
      seenEnded.clear();
      look(after);
    }
    Dependencies d = after.spec() == null ? null : after.spec().dependencies();
    if (d == null
        || d.parentId() == null
        || !after.status().isTerminal()
        || (before.exists() && before.status().isTerminal())) {
      return;
    }
    ClusterSharding.get(system)
        .entityRefFor(TaskEntity.TYPE_KEY, d.parentId())
        .tell(new ChildEnded(after.id()));
  }

  boolean awaits(Task state) {
    return state.status() == TaskStatus.BLOCKED && !state.awaiting().isEmpty();
  }

  /**
   * A wake-up: an awaiting parent looks, and looks again later if it is still waiting; any other
   * task's is for its clock, a person or a signal ({@link TaskGateHandlers}).
   */
  ReplyEffect<TaskEvent, Task> onWake(Task state, Wake cmd) {
    if (!awaits(state)) {
      return gates.onWake(state, cmd);
    }
    look(state);
    return entity
        .effects()
        .reply(cmd.replyTo(), new TaskProtocol.Woken(state.id(), entity.now().plus(LOOK_AGAIN)));
  }

  ReplyEffect<TaskEvent, Task> onChildEnded(Task state, ChildEnded cmd) {
    if (awaits(state) && state.awaiting().contains(cmd.childId())) {
      look(state);
      return entity.effects().noReply();
    }
    // a parent that does not wait (any more) was woken for nothing: an ended one leaves memory
    return entity.effects().none().thenRun(entity::endedOrNothing).thenNoReply();
  }

  ReplyEffect<TaskEvent, Task> onLooked(Task state, SubtasksLooked cmd) {
    if (!awaits(state) || !state.awaiting().equals(cmd.awaited()) || cmd.subtasks() == null) {
      return entity.effects().noReply();
    }
    for (Task t : cmd.subtasks()) {
      if (!t.exists() || t.status().isTerminal()) {
        seenEnded.put(t.id(), t);
      }
    }
    if (!seenEnded.keySet().containsAll(state.awaiting())) {
      return entity.effects().noReply(); // the last one to end tells it again
    }
    List<DependencyOutput> outputs = new ArrayList<>();
    int n = 0;
    if (state.dependencies() != null) {
      // what a workflow passed it stays, and so do earlier waits' subtasks: a run starts afresh
      for (DependencyOutput d : state.dependencies()) {
        outputs.add(d);
        n += d.name() != null && d.name().startsWith(NAME_PREFIX) ? 1 : 0;
      }
    }
    for (String id : state.awaiting()) {
      outputs.add(output(id, seenEnded.get(id), NAME_PREFIX + ++n));
    }
    seenEnded.clear();
    // the release a workflow's step gets: a place in the queue, then TaskUnblocked
    return dependencies.release(
        state, DependencyOutput.within(outputs, PASSED_OUTPUTS_BUDGET), system.ignoreRef());
  }

  /** Asks the awaited subtasks not yet seen ended how they stand. */
  private void look(Task state) {
    List<String> awaited = state.awaiting();
    ClusterSharding sharding = ClusterSharding.get(system);
    List<CompletableFuture<Task>> asks = new ArrayList<>(awaited.size());
    for (String id : awaited) {
      if (!seenEnded.containsKey(id)) {
        asks.add(
            sharding
                .entityRefFor(TaskEntity.TYPE_KEY, id)
                .ask(TaskProtocol.Get::new, askTimeout)
                .toCompletableFuture());
      }
    }
    CompletableFuture<List<Task>> all =
        CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new))
            .thenApply(done -> asks.stream().map(a -> a.getNow(null)).toList());
    entity.pipeToSelf(
        all, (tasks, error) -> new SubtasksLooked(awaited, error == null ? tasks : null));
  }

  /**
   * What one subtask left its parent. One that no longer exists (its id was never journaled, or
   * retention deleted its events) counts as failed, so its parent is not kept waiting forever.
   */
  private static DependencyOutput output(String id, Task t, String name) {
    if (t == null || !t.exists()) {
      return new DependencyOutput(id, name, TaskStatus.FAILED, null);
    }
    boolean gave =
        (t.status() == TaskStatus.COMPLETED || t.status() == TaskStatus.REJECTED)
            && t.result() != null;
    return new DependencyOutput(
        id,
        name,
        t.status(),
        gave ? t.result().outputOrReference(id) : null,
        t.spec() == null ? null : t.spec().subject());
  }
}
