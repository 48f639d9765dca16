package io.agenthive.task;

import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.access.Principal;
import io.agenthive.common.CborSerializable;
import io.agenthive.task.TaskReplies.StartReply;
import io.agenthive.task.TaskReplies.SubmitReply;
import io.agenthive.task.TaskReplies.Verdict;
import java.util.List;

/**
 * What a task entity ({@link TaskEntity}) is told: its protocol (submit, get, cancel, retry; start
 * and settle from agents; await-end from dataset jobs) and the answers it sends itself while it
 * asks the queue or the dataset jobs about a submission. Apart from the entity so its file holds
 * behaviour.
 */
public final class TaskProtocol {
  private TaskProtocol() {}

  public sealed interface Command extends CborSerializable
      permits Submit,
          Get,
          Cancel,
          Retry,
          Start,
          Settle,
          AwaitEnd,
          Stop,
          Forget,
          DatasetCommands.RecordProgress,
          DatasetCommands.FinishDataset,
          Release,
          FailDependency,
          Wake,
          Decide,
          Signal,
          ChildEnded,
          TaskAwaitHandlers.SubtasksLooked,
          TaskAdmission.Answered {}

  /**
   * {@code by}: the principal's label, journaled with the task (null: the hub itself). {@code
   * request}: the caller's own id for this submission (null: none), the same on each of its tries,
   * so a try that meets the task an earlier try of the same request created is told "created".
   */
  public record Submit(TaskSpec spec, String by, String request, ActorRef<SubmitReply> replyTo)
      implements Command {
    public Submit(TaskSpec spec, String by, ActorRef<SubmitReply> replyTo) {
      this(spec, by, null, replyTo);
    }
  }

  public record Get(ActorRef<Task> replyTo) implements Command {}

  public record Cancel(String by, ActorRef<StatusReply<Task>> replyTo) implements Command {}

  /** Gives a failed task one more attempt: queued again, then journaled, then answered. */
  public record Retry(String by, ActorRef<StatusReply<Task>> replyTo) implements Command {}

  public record Start(String agentId, AssignmentReason reason, ActorRef<StartReply> replyTo)
      implements Command {}

  /**
   * Ends {@code agentId}'s attempt {@code attempt} ({@link TaskEntity#ANY_ATTEMPT}: whichever it
   * runs) with {@code outcome}; {@code agentOutcome} is what the attempt adds to the agent's
   * record.
   */
  public record Settle(
      String agentId,
      int attempt,
      Outcome outcome,
      AgentOutcome agentOutcome,
      ActorRef<Verdict> replyTo)
      implements Command {}

  /**
   * Every task a blocked task waited for has ended: queue it, with what they left it. Idempotent: a
   * task that is not blocked any more answers with itself and changes nothing.
   */
  public record Release(List<DependencyOutput> dependencies, ActorRef<StatusReply<Task>> replyTo)
      implements Command {}

  /** A task a blocked task waited for failed or was cancelled: it fails too. Idempotent. */
  public record FailDependency(DependencyOutput failed, ActorRef<StatusReply<Task>> replyTo)
      implements Command {}

  /**
   * Answers with the task once it has ended (at once if it has): how a dataset job or a workflow
   * waits. Asking again with the same {@code replyTo} waits once.
   */
  public record AwaitEnd(ActorRef<Task> replyTo) implements Command {}

  /**
   * Time may have changed this task (its {@link Task#wakeAt} came): it looks again and journals
   * what is due (queued or opened at {@code not_before}, expired, an approval's or a wait's
   * timeout). Sent by the matcher, which keeps the wake-up times; early or repeated, it changes
   * nothing, so a wake-up cannot act twice.
   */
  public record Wake(ActorRef<Woken> replyTo) implements Command {}

  /**
   * Told by a subtask, once, after it ended: a parent that waits for it looks at what it awaits.
   * Lost with a node, the parent's wake-up looks instead ({@link TaskAwaitHandlers}).
   */
  public record ChildEnded(String childId) implements Command {}

  /**
   * The task's wake-up time after a {@link Wake} (null: none any more). One still in the past means
   * it could not act yet (no room in the queue): the matcher asks again a little later.
   */
  public record Woken(String taskId, java.time.Instant wakeAt) implements CborSerializable {}

  /** An approval's decision by {@code by}, who must be one of its approvers. */
  public record Decide(
      boolean approve,
      String comment,
      JsonNode output,
      Principal by,
      ActorRef<StatusReply<Task>> replyTo)
      implements Command {}

  /** The signal {@code name} for a wait step; {@code payload} becomes its output. */
  public record Signal(
      String name, JsonNode payload, String by, ActorRef<StatusReply<Task>> replyTo)
      implements Command {}

  /**
   * Sharding's stop message when the entity leaves memory: handled in turn, so a command that
   * arrived before it (a retry, say) is answered first, never lost.
   */
  public enum Stop implements Command {
    INSTANCE
  }

  /**
   * The task's subject was erased: leave memory, so that whatever the entity holds of its payloads
   * goes, and its next start reads them from the journal as erased.
   */
  public enum Forget implements Command {
    INSTANCE
  }
}
