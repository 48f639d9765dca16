package io.agenthive.hive;

import static org.junit.jupiter.api.Assertions.*;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.SerializationTestKit;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.agenthive.agent.AgentEvent;
import io.agenthive.agent.AgentSpec;
import io.agenthive.agent.Capability;
import io.agenthive.board.BoardEvent;
import io.agenthive.board.BoardState;
import io.agenthive.task.AssignmentReason;
import io.agenthive.skill.SkillRef;
import io.agenthive.task.Priority;
import io.agenthive.task.RequiredCapability;
import io.agenthive.task.TaskEvent;
import io.agenthive.task.TaskResult;
import io.agenthive.task.TaskSpec;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Events and snapshots survive the journal's serializer unchanged. */
class ProtocolSerializationTest {
  static final ActorTestKit kit = ActorTestKit.create();
  static final SerializationTestKit serialization = kit.serializationTestKit();
  static final Instant AT = Instant.parse("2026-11-22T10:00:00Z");

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  @Test
  void taskEventsRoundTrip() {
    TaskSpec spec = new TaskSpec("t", "d", "general", Priority.HIGH,
        List.of(new RequiredCapability("code", 0.4)),
        JsonNodeFactory.instance.objectNode().put("n", 1), AT, 3, 1000L, "key");
    AssignmentReason reason = new AssignmentReason("p", 2,
        List.of(new AssignmentReason.Candidate("a", 0.9)), "a", 0.9);
    for (Object e : List.of(new TaskEvent.TaskSubmitted("id", spec, AT),
        new TaskEvent.TaskAssigned("a", 1, reason, AT),
        new TaskEvent.TaskCompleted(1, new TaskResult(true,
            JsonNodeFactory.instance.textNode("out"), null, 5, 0.8), AT),
        new TaskEvent.TaskFailed(1, "x", 3, true, AT, AT),
        new TaskEvent.TaskTimedOut(2, 10, false, null, AT))) {
      assertEquals(e, serialization.verifySerialization(e, true));
    }
  }

  @Test
  void agentAndBoardEventsAndSnapshotsRoundTrip() {
    AgentSpec spec = new AgentSpec("n", "worker", List.of(new Capability("c", 0.5, 0.1)),
        SkillRef.named("noop"));
    BoardState state = BoardState.empty()
        .apply(new BoardEvent.TaskQueued("t1", Priority.LOW, List.of(), AT))
        .apply(new BoardEvent.TaskQueued("t2", Priority.HIGH, List.of(), AT))
        .apply(new BoardEvent.TaskDispatched("t1", "a", AT));
    for (Object e : List.of(new AgentEvent.AgentRegistered("a", spec, AT),
        new AgentEvent.CapabilityProficiencyChanged("c", 0.5, 0.51, "t", AT),
        new AgentEvent.AgentCrashed("r", 1, AT), new BoardEvent.TaskRequeued("t", AT, AT))) {
      assertEquals(e, serialization.verifySerialization(e, true));
    }
    BoardState copy = serialization.verifySerialization(state, false);
    assertEquals(state.pending(), copy.pending());
    assertEquals(state.inFlight(), copy.inFlight());
  }
}
