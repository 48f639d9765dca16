package io.agenthive.common;

import static org.junit.jupiter.api.Assertions.*;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializers;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.agenthive.task.TaskEvent;
import io.agenthive.task.TaskResult;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * What an earlier version journaled can be read back: an event holding a 25 MB string (past
 * Jackson's default limit of 20,000,000 characters, which once stopped a hub for good) goes through
 * the journal's serializer and comes back whole.
 */
class JournalReadLimitsTest {
  static final ActorTestKit kit = ActorTestKit.create("journal-read-limits");

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @Test
  void anEventWithAStringPastJacksonsDefaultLimitIsReadBack() {
    String huge = "y".repeat(25_000_000);
    var event =
        new TaskEvent.TaskCompleted(
            1,
            new TaskResult(true, JsonNodeFactory.instance.textNode(huge), null, 5, null),
            Instant.parse("2026-12-01T00:00:00Z"),
            null);
    var serialization = SerializationExtension.get(kit.system().classicSystem());
    var serializer = serialization.findSerializerFor(event);
    byte[] bytes = serialization.serialize(event).get();
    Object back =
        serialization
            .deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, event))
            .get();
    assertEquals(
        huge.length(), ((TaskEvent.TaskCompleted) back).result().output().asText().length());
  }
}
