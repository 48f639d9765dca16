package io.agenthive.task;

import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import akka.persistence.typed.javadsl.EffectBuilder;
import akka.persistence.typed.javadsl.ReplyEffect;
import io.agenthive.common.LocalOnly;
import io.agenthive.common.Refusal;
import io.agenthive.task.TaskReplies.Accepted;
import io.agenthive.task.TaskReplies.SubmitReply;
import io.agenthive.task.TaskReplies.Unavailable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The one way a task takes its place in the hive. A submission, a retry and a release from {@code
 * blocked} all ask first (the queue for a place, or the dataset jobs to start a dataset task's
 * job), journal only once that was granted, and say "queue full" in one wording when it was not.
 * While the answer is awaited the entity stashes every other command, so two admissions of one task
 * never overlap and nothing is journaled for a task the queue had no room for.
 */
final class TaskAdmission {

  /** Why the entity asks, and whom it answers (a submission has its own reply type). */
  sealed interface Purpose {}

  /** {@code request}: the caller's id for the submission, the same on each of its tries. */
  record ToSubmit(TaskSpec spec, String by, String request, ActorRef<SubmitReply> replyTo)
      implements Purpose {}

  record ToRetry(String by, ActorRef<StatusReply<Task>> replyTo) implements Purpose {}

  record ToRelease(List<DependencyOutput> dependencies, ActorRef<StatusReply<Task>> replyTo)
      implements Purpose {}

  /** A scheduled task's {@code not_before} came (a wake-up: nobody waits for an answer). */
  record ToOpen() implements Purpose {}

  /** The answer the entity sends itself: {@code answer} is null when {@code error} is set. */
  record Answered(Purpose purpose, TaskQueue.Admission answer, Throwable error)
      implements TaskProtocol.Command, LocalOnly {}

  private static final TaskQueue.Admission JOB_STARTED = new TaskQueue.Admitted();

  private final TaskEntity entity;
  // what is being asked now (null: nothing), and later tries of that same submission, which
  // wait for its answer rather than each start an admission of their own once it is refused
  private Purpose asking;
  private final List<ActorRef<SubmitReply>> laterTries = new ArrayList<>();

  TaskAdmission(TaskEntity entity) {
    this.entity = entity;
  }

  /** Whether {@code cmd} is a later try of the submission being asked about now. */
  boolean isLaterTry(TaskProtocol.Submit cmd) {
    return asking instanceof ToSubmit submit
        && cmd.request() != null
        && cmd.request().equals(submit.request());
  }

  /** A later try of the submission being asked about: answered with its answer. */
  ReplyEffect<TaskEvent, Task> joinLaterTry(TaskProtocol.Submit cmd) {
    laterTries.add(cmd.replyTo());
    return entity.effects().noReply();
  }

  /** Tells the later tries {@code reply}; the first try is answered by the effect itself. */
  private void answerLaterTries(SubmitReply reply) {
    laterTries.forEach(t -> t.tell(reply));
    laterTries.clear();
  }

  /** Asks for {@code spec}'s place; the answer comes back as {@link Answered}. */
  ReplyEffect<TaskEvent, Task> ask(Task state, TaskSpec spec, Purpose purpose) {
    entity.admitting(true);
    asking = purpose;
    // a released task is never a dataset task: a dataset task cannot wait (TaskSpec.validate)
    if (spec.hasDataset()) {
      entity.pipeToSelf(
          entity.datasets().start(state.id(), spec),
          (done, error) -> new Answered(purpose, error == null ? JOB_STARTED : null, error));
    } else {
      // queued under whoever submitted it, whoever asks again: budgets hold back by submitter
      String submitter = purpose instanceof ToSubmit submit ? submit.by() : state.submittedBy();
      // a submission's state is empty (attempt 1, no failures); an operator's retry of a failed
      // task goes on from its attempts: its next rung, and not back to the agents that failed it
      TaskQueue.QueuedTask queued =
          TaskQueue.QueuedTask.of(
              state.id(), spec, state.attempts() + 1, state.failedOn(), submitter, entity.now());
      entity.pipeToSelf(
          entity.queue().admit(queued), (answer, error) -> new Answered(purpose, answer, error));
    }
    return entity.effects().noReply();
  }

  ReplyEffect<TaskEvent, Task> onAnswer(Task state, Answered answered) {
    entity.admitting(false);
    asking = null;
    Purpose purpose = answered.purpose();
    if (answered.error() != null) {
      String who = spec(state, purpose).hasDataset() ? "the dataset jobs" : "the task queue";
      if (purpose instanceof ToSubmit || purpose instanceof ToRetry) {
        // a workflow asks again for its released step on its own: no warning per attempt
        entity.warn("Task [{}] not admitted: " + who + " did not answer", answered.error());
      }
      return refuse(purpose, who + " did not answer; retry", null);
    }
    if (answered.answer() instanceof TaskQueue.QueueFull full) {
      return refuse(purpose, full.message(), full);
    }
    return granted(state, purpose).thenUnstashAll();
  }

  private ReplyEffect<TaskEvent, Task> granted(Task state, Purpose purpose) {
    Instant now = entity.now();
    if (purpose instanceof ToSubmit submit) {
      TaskEvent submitted =
          new TaskEvent.TaskSubmitted(state.id(), submit.spec(), now, submit.by());
      // a dataset task's job has started: its chunks are what the queue matches
      List<TaskEvent> events =
          submit.spec().hasDataset()
              ? List.of(submitted, new TaskEvent.TaskStarted(null, 1, now, null))
              : List.of(submitted);
      return persist(state, events)
          .thenRun(s -> answerLaterTries(new Accepted(s, true)))
          .thenReply(submit.replyTo(), s -> new Accepted(s, true));
    }
    if (purpose instanceof ToRetry retry) {
      return persist(state, retried(state, retry.by(), now))
          .thenReply(retry.replyTo(), StatusReply::success);
    }
    if (purpose instanceof ToOpen) {
      TaskEvent due = new TaskEvent.TaskDue(now);
      List<TaskEvent> events =
          state.spec().hasDataset()
              ? List.of(due, new TaskEvent.TaskStarted(null, 1, now, null))
              : List.of(due);
      return persist(state, events).thenNoReply();
    }
    ToRelease release = (ToRelease) purpose;
    return persist(state, List.of(new TaskEvent.TaskUnblocked(release.dependencies(), now)))
        .thenReply(release.replyTo(), StatusReply::success);
  }

  private static List<TaskEvent> retried(Task state, String by, Instant now) {
    if (!state.spec().hasDataset()) {
      return List.of(new TaskEvent.TaskRetryRequested(state.attempts() + 1, now, by));
    }
    // max_attempts is per chunk here: a retried dataset keeps its chunks' policy
    return List.of(
        new TaskEvent.TaskRetryRequested(state.spec().maxAttempts(), now, by),
        new TaskEvent.TaskStarted(null, state.attempts() + 1, now, null));
  }

  private static TaskSpec spec(Task state, Purpose purpose) {
    return purpose instanceof ToSubmit submit ? submit.spec() : state.spec();
  }

  private EffectBuilder<TaskEvent, Task> persist(Task state, List<TaskEvent> events) {
    return entity.persistAndReport(state, events);
  }

  /** Nothing journaled: a submission that found no room leaves no task behind in memory. */
  private ReplyEffect<TaskEvent, Task> refuse(
      Purpose purpose, String why, TaskQueue.QueueFull full) {
    EffectBuilder<TaskEvent, Task> none = entity.effects().none().thenRun(entity::leaveIfNothing);
    ReplyEffect<TaskEvent, Task> replied;
    if (purpose instanceof ToOpen) {
      // no room yet: it stays scheduled, and the matcher wakes it again a little later
      replied = none.thenNoReply();
    } else if (purpose instanceof ToSubmit submit) {
      SubmitReply reply =
          full != null ? new TaskReplies.QueueFull(full.bound()) : new Unavailable(why);
      replied = none.thenRun(s -> answerLaterTries(reply)).thenReply(submit.replyTo(), s -> reply);
    } else {
      Refusal refusal = full != null ? new Refusal.QueueFull(why) : new Refusal.Unavailable(why);
      replied = none.thenReply(replyTo(purpose), s -> StatusReply.<Task>error(refusal));
    }
    return replied.thenUnstashAll();
  }

  private static ActorRef<StatusReply<Task>> replyTo(Purpose purpose) {
    return purpose instanceof ToRetry retry ? retry.replyTo() : ((ToRelease) purpose).replyTo();
  }
}
