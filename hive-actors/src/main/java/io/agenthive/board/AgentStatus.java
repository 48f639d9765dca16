package io.agenthive.board;

import akka.actor.typed.ActorRef;
import io.agenthive.agent.AgentActor;
import io.agenthive.agent.AgentState;
import java.time.Instant;
import java.util.Map;

/**
 * What an agent tells the board about itself. Tasks the board handed to this agent that it does
 * not name as running, and that were dispatched at or before {@code reconcileUpTo} (the board's
 * dispatch counter), died with an earlier incarnation of the agent and are settled as lost.
 * {@link #NO_RECONCILE} for routine reports, {@link #ALL} right after the agent (re)started, the
 * counter the board sent for answers to {@code ReportStatus}: a dispatch crossing that answer
 * is newer and is left alone.
 */
public record AgentStatus(
    String agentId,
    ActorRef<AgentActor.Command> agent,
    AgentState state,
    Map<String, Double> proficiencies,
    Instant lastBusyAt,
    String runningTaskId,
    long reconcileUpTo)
    implements TaskBoard.Command {

  public static final long NO_RECONCILE = -1;
  public static final long ALL = Long.MAX_VALUE;
}
