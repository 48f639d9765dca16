package io.agenthive.board;

import akka.actor.typed.ActorRef;
import io.agenthive.agent.AgentActor;
import io.agenthive.agent.AgentState;
import io.agenthive.common.CborSerializable;
import java.time.Instant;
import java.util.Map;

/**
 * What an agent tells the board about itself. {@code fresh} is true when the agent reports after
 * (re)starting or on the board's request: only then may the board conclude that tasks it handed
 * to this agent, and that the agent does not name as running, were lost.
 */
public record AgentStatus(
    String agentId,
    ActorRef<AgentActor.Command> agent,
    AgentState state,
    Map<String, Double> proficiencies,
    Instant lastBusyAt,
    String runningTaskId,
    boolean fresh)
    implements TaskBoard.Command {}
