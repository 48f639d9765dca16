package io.agenthive.agent;

import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import java.util.Set;

/**
 * What an agent tells the matcher, as the agent sees it: the hive wires the matcher in here, so
 * this package does not depend on the matcher's. Fire and forget: a matcher that restarts rebuilds
 * what it knows from the read side and the journal.
 */
public interface MatcherLink {

  /** The agent was registered (journaled); the matcher answers {@code replyTo} with its view. */
  void joined(Agent agent, ActorRef<StatusReply<AgentView>> replyTo);

  /** Its settled state changed (journaled); {@code replyTo} (may be null) gets the view. */
  void changed(Agent agent, ActorRef<StatusReply<AgentView>> replyTo);

  /** A slot the matcher gave it for {@code taskId} is free again, and why. */
  void slotFreed(String agentId, String taskId, SlotRelease how);

  /** The agent restarted after a crash: whatever it was running is lost. */
  void restarted(String agentId);

  /**
   * What a busy agent holds now (starting, running, or settling), sent every third of the lease: an
   * attempt the matcher handed out that its agent does not hold for a lease is lost.
   */
  void runsHeld(String agentId, Set<String> taskIds);

  /** Of the tasks the matcher asked about in {@code question}, the agent still runs these. */
  void runsConfirmed(String agentId, long question, Set<String> running);

  /** Why a slot is free again. */
  enum SlotRelease {
    /** The attempt ran and ended; the task entity tells the matcher how. */
    RAN,
    /** The agent could not take it (paused, retired, full) and did not start it. */
    DECLINED,
    /** The task entity would not start it (not pending any more, or unknown). */
    REFUSED,
    /** The task entity did not answer the start: it may or may not have started. */
    NO_ANSWER,
    /** The task was cancelled while it ran or started; the entity has ended it already. */
    CANCELLED
  }
}
