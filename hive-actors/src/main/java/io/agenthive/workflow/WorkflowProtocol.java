package io.agenthive.workflow;

import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import io.agenthive.common.CborSerializable;
import io.agenthive.common.LocalOnly;
import io.agenthive.task.Task;
import java.util.List;

/** What a {@link WorkflowEntity} is told, and what it tells itself while it drives its steps. */
public final class WorkflowProtocol {
  private WorkflowProtocol() {}

  public sealed interface Command extends CborSerializable
      permits Create, Get, Cancel, Stop, Submitted, Ended, Settled, Tick {}

  /**
   * Journals the workflow, submits its steps' tasks and answers once each has answered (a step the
   * queue had no room for is submitted again later). Idempotent: a second create finds the first.
   */
  public record Create(
      String name, List<WorkflowNode> nodes, String by, ActorRef<StatusReply<Workflow>> replyTo)
      implements Command {}

  public record Get(ActorRef<Workflow> replyTo) implements Command {}

  /** Cancels every step that has not ended; none is released after this. */
  public record Cancel(String by, ActorRef<StatusReply<Workflow>> replyTo) implements Command {}

  public enum Stop implements Command {
    INSTANCE
  }

  /** A step's task answered its submission: {@code ok} when it exists now. */
  record Submitted(String taskId, boolean ok) implements Command, LocalOnly {}

  /** A task this workflow watches has ended. */
  record Ended(Task task) implements Command, LocalOnly {}

  /** A blocked step answered its release (or its failure): {@code ok} when it took it. */
  record Settled(String taskId, boolean ok) implements Command, LocalOnly {}

  /** Time to redo what may have been lost: submissions, watches, releases. */
  enum Tick implements Command, LocalOnly {
    INSTANCE
  }
}
