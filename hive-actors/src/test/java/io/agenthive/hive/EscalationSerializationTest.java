package io.agenthive.hive;

import static org.junit.jupiter.api.Assertions.*;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializers;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import io.agenthive.task.EscalationRung;
import io.agenthive.task.Priority;
import io.agenthive.task.RequiredCapability;
import io.agenthive.task.TaskEvent;
import io.agenthive.task.TaskSpec;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** A task's escalation ladder crosses nodes and the journal; events from before it still read. */
class EscalationSerializationTest {
  static final ActorTestKit kit = ActorTestKit.create();
  static final Instant AT = Instant.parse("2026-12-04T10:00:00Z");
  static final com.fasterxml.jackson.databind.JsonNode IN =
      com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.textNode("in");

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  static TaskSpec spec() {
    return new TaskSpec("t", "", "general", Priority.LOW, List.of(), IN, null, 3, 1000L, null);
  }

  @Test
  void aLadderRoundTrips() {
    TaskSpec withLadder =
        spec()
            .withEscalation(
                List.of(
                    new EscalationRung("summarize.cheap", 0.5),
                    new EscalationRung("summarize.strong", 0.7)));
    var e = new TaskEvent.TaskSubmitted("id", withLadder, AT, "someone");
    assertEquals(e, kit.serializationTestKit().verifySerialization(e, true));
  }

  @Test
  void aSubmissionJournaledBeforeLaddersReadsAsOneWithoutALadder() throws Exception {
    Serialization ser = SerializationExtension.get(kit.system().classicSystem());
    var e = new TaskEvent.TaskSubmitted("id", spec(), AT, "someone");
    byte[] bytes = ser.serialize(e).get();
    var serializer = ser.findSerializerFor(e);
    String manifest = Serializers.manifestFor(serializer, e);
    // the same bytes as an older node wrote them: no escalation field at all
    ObjectMapper cbor = new ObjectMapper(new CBORFactory());
    ObjectNode tree = (ObjectNode) cbor.readTree(bytes);
    assertNotNull(((ObjectNode) tree.get("spec")).remove("escalation"), "the field is written");
    byte[] older = cbor.writeValueAsBytes(tree);
    var read =
        (TaskEvent.TaskSubmitted) ser.deserialize(older, serializer.identifier(), manifest).get();
    assertEquals(List.of(), read.spec().escalation());
    assertEquals(e, read);
    assertEquals(List.of(), read.spec().requirementsFor(2));
  }

  @Test
  void eachAttemptTakesItsRungAndAttemptsPastTheLastStayOnIt() {
    TaskSpec s =
        spec()
            .withEscalation(
                List.of(
                    new EscalationRung("summarize.cheap", 0.5),
                    new EscalationRung("summarize.strong", 0.7)));
    assertEquals(List.of(new RequiredCapability("summarize.cheap", 0.5)), s.requirementsFor(1));
    assertEquals(List.of(new RequiredCapability("summarize.strong", 0.7)), s.requirementsFor(2));
    assertEquals(List.of(new RequiredCapability("summarize.strong", 0.7)), s.requirementsFor(5));
  }
}
