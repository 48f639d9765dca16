package io.agenthive.hive;

import static org.junit.jupiter.api.Assertions.*;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.SerializationTestKit;
import akka.pattern.StatusReply;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.agenthive.agent.AgentEvent;
import io.agenthive.agent.AgentSpec;
import io.agenthive.agent.Capability;
import io.agenthive.common.Refusal;
import io.agenthive.matcher.HiveCounts;
import io.agenthive.remoteagent.WorkerLink;
import io.agenthive.skill.SkillRef;
import io.agenthive.task.AgentOutcome;
import io.agenthive.task.AssignmentReason;
import io.agenthive.task.LearningChange;
import io.agenthive.task.Priority;
import io.agenthive.task.RequiredCapability;
import io.agenthive.task.TaskEvent;
import io.agenthive.task.TaskQueue;
import io.agenthive.task.TaskResult;
import io.agenthive.task.TaskSpec;
import io.agenthive.task.TaskStatus;
import io.agenthive.task.legacy.LegacyEvents;
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
    TaskSpec spec =
        new TaskSpec(
            "t",
            "d",
            "general",
            Priority.HIGH,
            List.of(new RequiredCapability("code", 0.4)),
            JsonNodeFactory.instance.objectNode().put("n", 1),
            AT,
            3,
            1000L,
            "key");
    AssignmentReason reason =
        new AssignmentReason(
            "p",
            2,
            // one candidate with its count of ended attempts, one as events before it was recorded
            List.of(
                new AssignmentReason.Candidate("a", 0.9, 7L),
                new AssignmentReason.Candidate("b", 0.8)),
            "a",
            0.9);
    AgentOutcome learned =
        new AgentOutcome("a", 5, 12, List.of(new LearningChange("code", 0.5, 0.51)));
    for (Object e :
        List.of(
            new TaskEvent.TaskSubmitted("id", spec, AT, "key:ab12cd34"),
            new TaskEvent.TaskAssigned("a", 1, reason, AT),
            new TaskEvent.TaskStarted("a", 1, AT, reason),
            new TaskEvent.TaskCompleted(
                1,
                new TaskResult(true, JsonNodeFactory.instance.textNode("out"), null, 5, 0.8),
                AT,
                learned),
            new TaskEvent.TaskFailed(1, "x", 3, true, AT, AT, learned),
            new TaskEvent.TaskTimedOut(2, 10, false, null, AT, null))) {
      assertEquals(e, serialization.verifySerialization(e, true));
    }
  }

  @Test
  void gatedTasksAndTheirEventsAndCommandsRoundTrip() {
    var gate =
        new io.agenthive.task.TaskGate(
            AT,
            AT.plusSeconds(60),
            new io.agenthive.task.TaskGate.Approval(
                "ship {{deps.draft}}?",
                List.of("role:operator", "user:alice"),
                30_000L,
                io.agenthive.task.TaskGate.OnTimeout.APPROVE),
            null);
    // an input: a null one comes back as JSON null (a known quirk of the spec's input)
    var in = JsonNodeFactory.instance.textNode("in");
    TaskSpec spec =
        new TaskSpec("t", "", "general", Priority.LOW, List.of(), in, null, 1, 1000L, null)
            .withGate(gate);
    var wait =
        new TaskSpec("w", "", "general", Priority.LOW, List.of(), in, null, 1, 1000L, null)
            .withGate(
                new io.agenthive.task.TaskGate(
                    null,
                    null,
                    null,
                    new io.agenthive.task.TaskGate.Wait("go", null, null, 5000L)));
    var payload = JsonNodeFactory.instance.objectNode().put("colour", "green");
    var probe = kit.<Object>createTestProbe();
    for (Object e :
        List.of(
            new TaskEvent.TaskSubmitted("id", spec, AT, "key:ab12cd34"),
            new TaskEvent.TaskSubmitted("w", wait, AT, null),
            new TaskEvent.TaskDue(AT),
            new TaskEvent.TaskExpired(AT, AT),
            new TaskEvent.TaskDecided(true, "fine", payload, "user:alice", AT),
            new TaskEvent.TaskSignalled("go", payload, "key:ab12cd34", AT),
            new io.agenthive.task.TaskProtocol.Wake(probe.ref().narrow()),
            new io.agenthive.task.TaskProtocol.Woken("id", AT),
            // a submission's tries carry its request id; the hub's own submissions none
            new io.agenthive.task.TaskProtocol.Submit(
                spec, "key:ab12cd34", "r1", probe.ref().narrow()),
            new io.agenthive.task.TaskProtocol.Submit(spec, null, probe.ref().narrow()),
            new io.agenthive.task.TaskProtocol.Decide(
                false,
                "no",
                payload,
                new io.agenthive.access.Principal(
                    io.agenthive.access.Principal.Kind.USER,
                    "alice",
                    io.agenthive.access.Role.OPERATOR),
                probe.ref().narrow()))) {
      assertEquals(e, serialization.verifySerialization(e, true));
    }
  }

  @Test
  void agentEventsAndTheMatchersMessagesRoundTrip() {
    AgentSpec spec =
        new AgentSpec(
            "n", "worker", List.of(new Capability("c", 0.5, 0.1)), SkillRef.named("noop"), 4);
    TaskQueue.QueuedTask queued =
        new TaskQueue.QueuedTask("t", Priority.HIGH, List.of(new RequiredCapability("c", 0.5)), AT);
    for (Object e :
        List.of(
            new AgentEvent.AgentRegistered("a", spec, AT, "user:alice"),
            new AgentEvent.CapabilityProficiencyChanged("c", 0.5, 0.51, "t", AT),
            new AgentEvent.AgentCrashed("r", 1, AT),
            queued,
            new TaskQueue.TaskChange(
                "t",
                TaskStatus.RUNNING,
                TaskStatus.PENDING,
                queued,
                AT,
                null,
                new AgentOutcome("a", 1, 0, List.of()),
                AT),
            new HiveCounts(
                java.util.Map.of(io.agenthive.agent.AgentState.IDLE, 2L),
                java.util.Map.of(TaskStatus.PENDING, 1L),
                java.util.Map.of(Priority.LOW, 1),
                0,
                2,
                0.5,
                0.1,
                AT,
                java.util.Map.of("no_agent_qualifies", 1),
                1),
            // the roll call and its answer cross nodes: matcher and agent live apart
            new io.agenthive.agent.AgentProtocol.RollCall(
                kit.<io.agenthive.agent.AgentProtocol.Present>createTestProbe().getRef()),
            new io.agenthive.agent.AgentProtocol.Present("a"))) {
      assertEquals(e, serialization.verifySerialization(e, true));
    }
  }

  @Test
  void refusalsCrossNodesAsTheirOwnTypeAndMessageWithoutJavaSerialization() {
    var ser = akka.serialization.SerializationExtension.get(kit.system().classicSystem());
    Refusal refusal = new Refusal.Conflict("agent a is already registered");
    assertFalse(ser.findSerializerFor(refusal) instanceof akka.serialization.JavaSerializer);
    StatusReply<String> reply = StatusReply.error(refusal);
    StatusReply<?> back = serialization.verifySerialization(reply, false);
    assertTrue(back.isError());
    assertInstanceOf(Refusal.Conflict.class, back.getError());
    assertEquals(refusal.getMessage(), back.getError().getMessage());
  }

  @Test
  void workerLinkMessagesRoundTripSinceTheLinkIsShardedAcrossNodes() {
    var request =
        new io.agenthive.skill.SkillRequest(
            "t",
            2,
            "title",
            "d",
            "general",
            JsonNodeFactory.instance.objectNode().put("n", 1),
            List.of(new RequiredCapability("c", 0.5)),
            0.8,
            AT);
    for (Object m :
        List.of(
            new WorkerLink.Offer(request),
            new WorkerLink.Ignored("t", 2, "stale"),
            new WorkerLink.FromWorker(
                "result",
                "t",
                2,
                JsonNodeFactory.instance.objectNode().put("ok", true),
                0.9,
                null,
                false))) {
      assertEquals(m, serialization.verifySerialization(m, true));
    }
  }

  @Test
  void liveOutputMessagesRoundTripSinceAttemptAndFollowerMayBeOnOtherNodes() {
    akka.actor.typed.ActorRef<io.agenthive.live.LiveRun.Command> run =
        kit.<io.agenthive.live.LiveRun.Command>createTestProbe().ref();
    akka.actor.typed.ActorRef<io.agenthive.live.LiveUpdate> follower =
        kit.<io.agenthive.live.LiveUpdate>createTestProbe().ref();
    for (Object m :
        List.of(
            new io.agenthive.live.LiveRun.Append("tok"),
            new io.agenthive.live.LiveRun.Follow(follower),
            new io.agenthive.live.LiveRuns.Started("t", run),
            new io.agenthive.live.LiveRuns.Follow("t", follower),
            new io.agenthive.live.LiveUpdate.SoFar("t", 2, "so far", false, run),
            new io.agenthive.live.LiveUpdate.Delta("t", 2, " more"),
            new io.agenthive.live.LiveUpdate.Over("t", 2),
            new io.agenthive.live.LiveUpdate.Truncated("t", 2),
            new io.agenthive.live.LiveRun.Finish(),
            new io.agenthive.live.LiveRun.Sync(kit.<akka.Done>createTestProbe().ref()),
            new WorkerLink.Refused("no such attempt pending"),
            new WorkerLink.Partial("t", 1, "tok"))) {
      assertEquals(m, serialization.verifySerialization(m, true));
    }
  }

  @Test
  void eventsOfRemovedClassesAreReadAsTheirLegacyTwins() throws Exception {
    var ser = akka.serialization.SerializationExtension.get(kit.system().classicSystem());
    byte[] written =
        ser.serialize(new LegacyEvents.TaskQueued("t1", Priority.LOW, List.of(), AT)).get();
    int serializerId = ser.findSerializerFor(new LegacyEvents.AgentAdded("a", AT)).identifier();
    // a journal written before the matcher names the board's class in the manifest
    Object read =
        ser.deserialize(written, serializerId, "io.agenthive.board.BoardEvent$TaskQueued").get();
    assertEquals(new LegacyEvents.TaskQueued("t1", Priority.LOW, List.of(), AT), read);
  }
}
