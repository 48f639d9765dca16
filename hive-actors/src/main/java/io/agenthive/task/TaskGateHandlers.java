package io.agenthive.task;

import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import akka.persistence.typed.javadsl.ReplyEffect;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.agenthive.common.Refusal;
import io.agenthive.task.TaskProtocol.Decide;
import io.agenthive.task.TaskProtocol.Signal;
import io.agenthive.task.TaskProtocol.Wake;
import io.agenthive.task.TaskProtocol.Woken;
import java.time.Duration;
import java.time.Instant;

/**
 * A task that waits for something other than an agent: a clock ({@code not_before}, {@code
 * expires_at}), a person (an approval) or a signal or instant (a wait). The wake-ups come from the
 * matcher, which keeps every task's {@link Task#wakeAt}; each is checked against the journaled
 * state here, so one that comes early, late or twice journals at most once. Apart from {@link
 * TaskEntity} so that file stays about the common path.
 */
final class TaskGateHandlers {
  /** Who "decides" an approval that nobody decided in time. */
  static final String TIMEOUT = "hub:timeout";

  private final TaskEntity entity;

  TaskGateHandlers(TaskEntity entity) {
    this.entity = entity;
  }

  ReplyEffect<TaskEvent, Task> onWake(Task state, Wake cmd) {
    Instant now = entity.now();
    Instant due = state.wakeAt();
    if (due == null || now.isBefore(due)) {
      // early or stale: the answer gives the matcher the right time (none for an unknown id)
      return entity
          .effects()
          .none()
          .thenRun(entity::endedOrNothing)
          .thenReply(cmd.replyTo(), this::woken);
    }
    TaskGate g = state.spec().gate();
    if (state.unstarted() && g.expiresAt() != null && !now.isBefore(g.expiresAt())) {
      return persist(state, new TaskEvent.TaskExpired(g.expiresAt(), now), cmd);
    }
    return switch (state.status()) {
      case SCHEDULED ->
          g.openStatus() == TaskStatus.PENDING
              ? openQueued(state, cmd)
              : persist(state, new TaskEvent.TaskDue(now), cmd);
      case WAITING_FOR_APPROVAL -> persist(state, timedOut(state, g.approval(), now), cmd);
      case WAITING -> persist(state, waited(state, g.waitFor(), now), cmd);
      default -> entity.effects().reply(cmd.replyTo(), woken(state));
    };
  }

  /**
   * Asks the queue for a place; the answer to the wake-up goes at once with the time unchanged (so
   * the matcher keeps its retry), and the task's change follows once it was admitted.
   */
  private ReplyEffect<TaskEvent, Task> openQueued(Task state, Wake cmd) {
    cmd.replyTo().tell(woken(state));
    return entity.admission().ask(state, state.spec(), new TaskAdmission.ToOpen());
  }

  private Woken woken(Task state) {
    return new Woken(state.id(), state.wakeAt());
  }

  private static TaskEvent timedOut(Task state, TaskGate.Approval a, Instant now) {
    String why = "no decision within " + Duration.ofMillis(a.timeoutMs());
    return switch (a.onTimeout()) {
      case APPROVE -> new TaskEvent.TaskDecided(true, why, null, TIMEOUT, now);
      case REJECT -> new TaskEvent.TaskDecided(false, why, null, TIMEOUT, now);
      case FAIL ->
          new TaskEvent.TaskFailed(
              0, "approval timed out: " + why, state.runMillis(now), false, null, now, null);
    };
  }

  private static TaskEvent waited(Task state, TaskGate.Wait w, Instant now) {
    if (w.signal() != null) {
      String error =
          "wait timed out: no signal '"
              + w.signal()
              + "' within "
              + Duration.ofMillis(w.timeoutMs());
      return new TaskEvent.TaskFailed(0, error, state.runMillis(now), false, null, now, null);
    }
    var output = JsonNodeFactory.instance.objectNode().put("waited_until", now.toString());
    return new TaskEvent.TaskCompleted(
        0, new TaskResult(true, output, null, state.runMillis(now), null), now, null);
  }

  ReplyEffect<TaskEvent, Task> onDecide(Task state, Decide cmd) {
    if (!state.exists()) {
      return refuse(cmd.replyTo(), new Refusal.NotFound("task " + state.id() + " not found"));
    }
    TaskGate g = state.spec() == null ? null : state.spec().gate();
    if (g == null || g.approval() == null) {
      return refuse(
          cmd.replyTo(), new Refusal.Conflict("task " + state.id() + " is not an approval"));
    }
    if (!g.approval().allows(cmd.by())) {
      return refuse(
          cmd.replyTo(),
          new Refusal.Forbidden(
              cmd.by().label()
                  + " is not among the approvers of task "
                  + state.id()
                  + " ("
                  + String.join(", ", g.approval().approvers())
                  + ")"));
    }
    if (state.status() != TaskStatus.WAITING_FOR_APPROVAL) {
      return refuse(cmd.replyTo(), notOpen(state, "decided"));
    }
    return entity
        .persistAndReport(
            state,
            new TaskEvent.TaskDecided(
                cmd.approve(), cmd.comment(), cmd.output(), cmd.by().label(), entity.now()))
        .thenReply(cmd.replyTo(), StatusReply::success);
  }

  ReplyEffect<TaskEvent, Task> onSignal(Task state, Signal cmd) {
    if (!state.exists()) {
      return refuse(cmd.replyTo(), new Refusal.NotFound("task " + state.id() + " not found"));
    }
    TaskGate g = state.spec() == null ? null : state.spec().gate();
    if (g == null || g.waitFor() == null || !cmd.name().equals(g.waitFor().signal())) {
      return refuse(
          cmd.replyTo(),
          new Refusal.Conflict(
              "task " + state.id() + " does not wait for the signal '" + cmd.name() + "'"));
    }
    if (state.status() != TaskStatus.WAITING) {
      return refuse(cmd.replyTo(), notOpen(state, "signalled"));
    }
    return entity
        .persistAndReport(
            state, new TaskEvent.TaskSignalled(cmd.name(), cmd.payload(), cmd.by(), entity.now()))
        .thenReply(cmd.replyTo(), StatusReply::success);
  }

  private static Refusal notOpen(Task state, String done) {
    return state.status().isTerminal()
        ? new Refusal.Conflict(
            "task " + state.id() + " is already " + state.status().label() + "; not " + done)
        : new Refusal.Conflict(
            "task "
                + state.id()
                + " is "
                + state.status().label()
                + ": it opens once what it waits for is done");
  }

  private ReplyEffect<TaskEvent, Task> persist(Task state, TaskEvent event, Wake cmd) {
    return entity.persistAndReport(state, event).thenReply(cmd.replyTo(), this::woken);
  }

  /** A refusal; an id never submitted, or a task that ended, leaves memory again at once. */
  private ReplyEffect<TaskEvent, Task> refuse(ActorRef<StatusReply<Task>> replyTo, Refusal why) {
    return entity
        .effects()
        .none()
        .thenRun(entity::endedOrNothing)
        .thenReply(replyTo, s -> StatusReply.<Task>error(why));
  }
}
