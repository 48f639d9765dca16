package io.agenthive.board;

import akka.actor.typed.ActorRef;
import io.agenthive.agent.AgentActor;
import io.agenthive.agent.AgentState;
import io.agenthive.common.CborSerializable;
import java.time.Instant;
import java.util.Map;

/**
 * What an agent tells the board about itself. {@code fresh} is true only when the agent reports
 * right after (re)starting: then tasks the board handed to it earlier, and that it does not name
 * as running, died with its previous incarnation and are settled as lost.
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
