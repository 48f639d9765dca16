package io.agenthive.task;

import static org.junit.jupiter.api.Assertions.*;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.agenthive.subject.Subjects;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Sealing a task's events with its subject's key (in-memory keys): the personal values leave the
 * stored bytes and come back whole; events with nothing personal are stored as they are; after the
 * erasure they open as erased, a later event is written erased, and an altered box opens as
 * unreadable instead of failing the read.
 */
class TaskSealingTest {
  static final ActorTestKit kit = ActorTestKit.create("TaskSealingTest");
  static final TaskSealing sealing = TaskSealing.get(kit.system());
  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant AT = Instant.parse("2026-12-05T08:00:00Z");

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  static TaskSpec spec(String subject, JsonNode input) {
    return new TaskSpec(
            "about someone", "", "general", Priority.MEDIUM, List.of(), input, null, 3, 1000L, null)
        .withSubject(subject);
  }

  @Test
  void sealedValuesLeaveTheBytesAndComeBackWhole() throws Exception {
    JsonNode input = JSON.readTree("{\"text\": \"Zelda Quaintance, 12 Elm Row\"}");
    TaskEvent submitted = new TaskEvent.TaskSubmitted("t1", spec("s-1", input), AT, "user:a");
    Object stored = sealing.seal(submitted, "s-1");
    SealedTaskEvent sealed = assertInstanceOf(SealedTaskEvent.class, stored);
    assertFalse(new String(sealed.event(), StandardCharsets.UTF_8).contains("Zelda"));
    assertFalse(new String(sealed.sealed(), StandardCharsets.UTF_8).contains("Zelda"));
    assertEquals(submitted, sealing.open(sealed));

    TaskEvent unblocked =
        new TaskEvent.TaskUnblocked(
            List.of(
                new DependencyOutput("d1", "first", TaskStatus.COMPLETED, TextNode.valueOf("A")),
                new DependencyOutput("d2", "second", TaskStatus.FAILED, TextNode.valueOf("B"))),
            AT);
    assertEquals(unblocked, sealing.open((SealedTaskEvent) sealing.seal(unblocked, "s-1")));
    TaskEvent failed = new TaskEvent.TaskFailed(1, "Zelda said no", 5, false, null, AT, null);
    assertEquals(failed, sealing.open((SealedTaskEvent) sealing.seal(failed, "s-1")));

    TaskEvent started = new TaskEvent.TaskStarted("agent-1", 1, AT, null);
    assertSame(started, sealing.seal(started, "s-1"), "nothing personal: stored as it is");
  }

  @Test
  void afterTheErasureValuesOpenAsErasedAndNewOnesAreWrittenErased() throws Exception {
    TaskResult result = new TaskResult(true, TextNode.valueOf("Zelda's answer"), null, 5, null);
    TaskEvent completed = new TaskEvent.TaskCompleted(1, result, AT, null);
    SealedTaskEvent sealed = (SealedTaskEvent) sealing.seal(completed, "s-2");
    Subjects.keys(kit.system()).erase("s-2", AT);

    TaskEvent.TaskCompleted opened = (TaskEvent.TaskCompleted) sealing.open(sealed);
    assertEquals(TextNode.valueOf("[erased]"), opened.result().output());
    assertNull(opened.result().error(), "a value that was absent stays absent");
    assertEquals(1, opened.attempt(), "everything else is as it was");

    TaskEvent.TaskCompleted later =
        assertInstanceOf(TaskEvent.TaskCompleted.class, sealing.seal(completed, "s-2"));
    assertEquals(TextNode.valueOf("[erased]"), later.result().output());
  }

  @Test
  void anotherSubjectsOutputIsNotCopiedIntoATasksHistory() {
    DependencyOutput theirs =
        new DependencyOutput("d1", "d1", TaskStatus.COMPLETED, TextNode.valueOf("Zelda"), "s-9");
    assertSame(theirs, theirs.passedTo("s-9"), "the same subject: passed as it is");
    JsonNode told = theirs.passedTo(null).output();
    assertFalse(told.toString().contains("Zelda"), told.toString());
    assertEquals("/api/tasks/d1/result", told.at("/output_not_passed/url").asText());
    assertFalse(theirs.passedTo("s-8").output().toString().contains("Zelda"));
  }

  @Test
  void anAlteredBoxOpensAsUnreadable() {
    TaskEvent failed = new TaskEvent.TaskFailed(1, "Zelda said no", 5, false, null, AT, null);
    SealedTaskEvent s = (SealedTaskEvent) sealing.seal(failed, "s-3");
    byte[] box = s.sealed().clone();
    box[0] ^= 1;
    SealedTaskEvent altered =
        new SealedTaskEvent(
            s.subject(), s.keyId(), s.serializerId(), s.manifest(), s.event(), s.nonce(), box);
    assertEquals(
        "[unreadable]", ((TaskEvent.TaskFailed) sealing.open(altered)).error(), "not a crash");
  }
}
