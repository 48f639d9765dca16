package io.agenthive.matcher;

import akka.actor.typed.ActorRef;
import akka.cluster.ClusterEvent;
import akka.pattern.StatusReply;
import io.agenthive.agent.Agent;
import io.agenthive.agent.AgentView;
import io.agenthive.agent.MatcherLink.SlotRelease;
import io.agenthive.budget.Hold;
import io.agenthive.common.CborSerializable;
import io.agenthive.common.LocalOnly;
import io.agenthive.task.TaskQueue;
import io.agenthive.task.TaskReplies;
import java.util.List;
import java.util.Set;

/**
 * What the matcher ({@link TaskMatcher}) is told: by task entities (admission, status changes), by
 * agents (joined, changed, slot freed, runs confirmed), by readers (an agent, the counts), and what
 * it sends itself (backlog loaded, dispatch, publish, confirmation deadlines, lost runs settled, a
 * node lost). Apart from the actor so its file holds behaviour.
 */
public final class MatcherProtocol {
  private MatcherProtocol() {}

  public sealed interface Command extends CborSerializable
      permits Admit,
          TaskChanged,
          AgentJoined,
          AgentChanged,
          SlotFreed,
          AgentRestarted,
          RunsConfirmed,
          AgentPresent,
          GetAgent,
          GetCounts,
          Subscribe,
          Loaded,
          DispatchNow,
          Publish,
          ConfirmDeadline,
          SubscriberGone,
          LostSettled,
          ResendLost,
          NodeLost,
          BudgetHolds,
          RunsHeld,
          Reconcile,
          Reconciled,
          LeaseCheck,
          ConfirmAgain,
          MembersChanged,
          WhyWaiting,
          WakeDue,
          WakeAnswered {}

  /**
   * The budgets that hold work back now (each node's budget board sends them when they change and
   * every few seconds): held agents take nothing new; held workflows' and submitters' tasks wait,
   * still pending.
   */
  public record BudgetHolds(List<Hold> holds) implements Command {}

  public record Admit(TaskQueue.QueuedTask task, ActorRef<TaskQueue.Admission> replyTo)
      implements Command {}

  public record TaskChanged(TaskQueue.TaskChange change) implements Command {}

  /** {@code replyTo} (may be null) gets the agent's view once it is known here. */
  public record AgentJoined(Agent agent, ActorRef<StatusReply<AgentView>> replyTo)
      implements Command {}

  public record AgentChanged(Agent agent, ActorRef<StatusReply<AgentView>> replyTo)
      implements Command {}

  public record SlotFreed(String agentId, String taskId, SlotRelease how) implements Command {}

  public record AgentRestarted(String agentId) implements Command {}

  /**
   * The agent's answer to {@code question} (0 from a node older than the field: the open one): of
   * what it was asked, it still runs {@code running}.
   */
  public record RunsConfirmed(String agentId, long question, Set<String> running)
      implements Command {}

  /** An agent answered the roll call ({@link AgentRollCall}), through the matcher's adapter. */
  record AgentPresent(io.agenthive.agent.AgentProtocol.Present present)
      implements Command, LocalOnly {}

  public record GetAgent(String agentId, ActorRef<StatusReply<AgentView>> replyTo)
      implements Command {}

  public record GetCounts(ActorRef<HiveCounts> replyTo) implements Command {}

  /** Why a pending task waits ({@code reason} null: it does not wait in the queue). */
  public record WhyWaiting(String taskId, ActorRef<WaitingReason> replyTo) implements Command {}

  public record WaitingReason(String reason) implements CborSerializable {}

  /** Counts are pushed to {@code subscriber} while it lives; subscribing again is harmless. */
  public record Subscribe(ActorRef<HiveCounts> subscriber) implements Command {}

  record Loaded(Backlog.Snapshot snapshot, Throwable error) implements Command, LocalOnly {}

  enum DispatchNow implements Command, LocalOnly {
    INSTANCE
  }

  enum Publish implements Command, LocalOnly {
    INSTANCE
  }

  record ConfirmDeadline(String agentId) implements Command, LocalOnly {}

  record ConfirmAgain(String agentId) implements Command, LocalOnly {}

  record LostSettled(Matching.SettleLost lost, TaskReplies.Verdict verdict, Throwable error)
      implements Command, LocalOnly {}

  record ResendLost(Matching.SettleLost lost) implements Command, LocalOnly {}

  record SubscriberGone(ActorRef<HiveCounts> subscriber) implements Command, LocalOnly {}

  record NodeLost(ClusterEvent.MemberRemoved removed) implements Command, LocalOnly {}

  /**
   * A busy agent holds these tasks now (starting, running, or settling their outcome): sent every
   * third of the lease, it renews their leases and frees slots the matcher still counts.
   */
  public record RunsHeld(String agentId, Set<String> taskIds) implements Command {}

  enum Reconcile implements Command, LocalOnly {
    INSTANCE
  }

  record Reconciled(Backlog.Snapshot snapshot, Throwable error) implements Command, LocalOnly {}

  /** A task entity's answer to a wake-up: its wake-up time now. */
  record WakeAnswered(io.agenthive.task.TaskProtocol.Woken woken) implements Command, LocalOnly {}

  /** A task's wake-up time came ({@link Wakeups}). */
  enum WakeDue implements Command, LocalOnly {
    INSTANCE
  }

  enum LeaseCheck implements Command, LocalOnly {
    INSTANCE
  }

  /** A member joined: shards and agents move, so the matcher looks again soon. */
  record MembersChanged(ClusterEvent.MemberUp up) implements Command, LocalOnly {}
}
