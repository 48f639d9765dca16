package io.agenthive.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.SerializationTestKit;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.agenthive.task.Priority;
import io.agenthive.task.RequiredCapability;
import io.agenthive.task.TaskSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The keeper's events, its snapshot and its replies survive the journal's serializer unchanged. */
class ScheduleSerializationTest {
  static final ActorTestKit kit = ActorTestKit.create();
  static final SerializationTestKit serialization = kit.serializationTestKit();
  static final Instant AT = Instant.parse("2027-01-01T10:00:00Z");

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  static ScheduleSpec spec() {
    TaskSpec task =
        new TaskSpec(
            "t",
            "d",
            "report",
            Priority.HIGH,
            List.of(new RequiredCapability("code", 0.4)),
            JsonNodeFactory.instance.objectNode().put("n", 1),
            null,
            3,
            1000L,
            null);
    return new ScheduleSpec(
        "nightly",
        "0 2 * * *",
        null,
        "Europe/Berlin",
        task,
        null,
        JsonNodeFactory.instance.objectNode().put("title", "t"),
        ScheduleSpec.Overlap.SKIP,
        ScheduleSpec.CatchUp.ALL,
        Duration.ofHours(1),
        false);
  }

  @Test
  void eventsSnapshotAndRepliesRoundTrip() {
    ScheduleBook book =
        ScheduleBook.empty()
            .apply(new ScheduleEvent.ScheduleCreated(spec(), AT, "key:ab12"))
            .apply(new ScheduleEvent.SlotFired("nightly", AT, false, "task-1", AT))
            .apply(new ScheduleEvent.SlotsSkipped("nightly", AT, 3, SlotRecord.MISSED, AT));
    for (Object o :
        List.of(
            new ScheduleEvent.ScheduleCreated(spec(), AT, "key:ab12"),
            new ScheduleEvent.ScheduleUpdated(spec().withPaused(true), AT, "user:alice"),
            new ScheduleEvent.SchedulePaused("nightly", AT, "hub"),
            new ScheduleEvent.ScheduleResumed("nightly", AT, "hub"),
            new ScheduleEvent.ScheduleDeleted("nightly", AT, "hub"),
            new ScheduleEvent.SlotFired("nightly", AT, true, "task-1", AT),
            new ScheduleEvent.SlotsSkipped("nightly", AT, 1, SlotRecord.OVERLAP, AT),
            book,
            new ScheduleProtocol.Listing(List.copyOf(book.schedules().values())))) {
      assertEquals(o, serialization.verifySerialization(o, true));
    }
    assertEquals(2, book.get("nightly").history().size());
  }
}
