package io.agenthive.task;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.ActorContext;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.persistence.typed.javadsl.ReplyEffect;
import io.agenthive.common.LocalOnly;
import io.agenthive.task.TaskProtocol.ChildEnded;
import io.agenthive.task.TaskProtocol.Wake;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A parent whose attempt handed its work to subtasks ({@link TaskEvent.TaskAwaitingSubtasks}) waits
 * for them blocked, its agent's slot free. Each subtask tells its parent when it ends ({@link
 * ChildEnded}); the parent then asks every subtask it awaits how it stands and, once all have
 * ended, releases itself as a workflow releases a step: queued again, their outputs its
 * dependencies ({@code subtask-1}, {@code subtask-2}, ... in the order it named them). A word lost
 * with a node costs a wake-up: an awaiting parent's wake-up time ({@link TaskWakeAt}) has the
 * matcher tell it to look, and again every few seconds until it moves. Apart from {@link
 * TaskEntity} so that file stays about the common path.
 */
final class TaskAwaitHandlers {
  // as a workflow step's: outputs past this many characters of JSON are passed as where to read
  private static final long PASSED_OUTPUTS_BUDGET = 1_000_000;
  // how often a parent looks at its subtasks when none has said it ended: each word lost with a
  // node costs at most this, and thousands of waiting parents cost few asks a second
  static final Duration LOOK_AGAIN = Duration.ofSeconds(30);

  /** How the awaited subtasks stood when asked (null: an ask failed; a later look asks again). */
  record SubtasksLooked(List<String> awaited, List<Task> subtasks)
      implements TaskProtocol.Command, LocalOnly {}

  private final TaskEntity entity;
  private final TaskGateHandlers gates;
  private final ActorSystem<?> system;
  private final ActorRef<TaskProtocol.Command> self;
  private final Duration askTimeout;

  TaskAwaitHandlers(
      TaskEntity entity,
      TaskGateHandlers gates,
      ActorContext<TaskProtocol.Command> context,
      Duration askTimeout) {
    this.entity = entity;
    this.gates = gates;
    this.system = context.getSystem();
    this.self = context.getSelf();
    this.askTimeout = askTimeout;
  }

  /**
   * After each journaled change: a subtask that has just ended tells its parent, and a parent that
   * has just begun to wait looks at once (a subtask that ended while the attempt still ran told a
   * parent that was not waiting yet).
   */
  void afterChange(Task before, Task after) {
    if (awaits(after) && !awaits(before)) {
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
    List<DependencyOutput> outputs = new ArrayList<>();
    if (state.dependencies() != null) {
      outputs.addAll(state.dependencies()); // what a workflow passed it stays
    }
    int n = 0;
    for (Task t : cmd.subtasks()) {
      if (t.exists() && !t.status().isTerminal()) {
        return entity.effects().noReply(); // the last one to end tells it again
      }
      n++;
      outputs.add(output(t, "subtask-" + n));
    }
    TaskProtocol.Release release =
        new TaskProtocol.Release(
            DependencyOutput.within(outputs, PASSED_OUTPUTS_BUDGET), system.ignoreRef());
    // through the entity's own release: queued as a released workflow step is, and once
    return entity.effects().none().thenRun(s -> self.tell(release)).thenNoReply();
  }

  private void look(Task state) {
    List<String> awaited = state.awaiting();
    ClusterSharding sharding = ClusterSharding.get(system);
    List<CompletableFuture<Task>> asks = new ArrayList<>(awaited.size());
    for (String id : awaited) {
      asks.add(
          sharding
              .entityRefFor(TaskEntity.TYPE_KEY, id)
              .ask(TaskProtocol.Get::new, askTimeout)
              .toCompletableFuture());
    }
    CompletableFuture<List<Task>> all =
        CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new))
            .thenApply(done -> asks.stream().map(a -> a.getNow(null)).toList());
    entity.pipeToSelf(
        all, (tasks, error) -> new SubtasksLooked(awaited, error == null ? tasks : null));
  }

  /**
   * What one subtask left its parent. One that no longer exists (its id was never journaled, or
   * retention removed it) counts as failed, so its parent is not kept waiting for it forever.
   */
  private static DependencyOutput output(Task t, String name) {
    if (!t.exists()) {
      return new DependencyOutput(t.id(), name, TaskStatus.FAILED, null);
    }
    boolean gave =
        (t.status() == TaskStatus.COMPLETED || t.status() == TaskStatus.REJECTED)
            && t.result() != null;
    return new DependencyOutput(
        t.id(), name, t.status(), gave ? t.result().outputOrReference(t.id()) : null);
  }
}
