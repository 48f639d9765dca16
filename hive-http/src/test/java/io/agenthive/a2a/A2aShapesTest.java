package io.agenthive.a2a;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agenthive.task.TaskStatus;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The mapping between the hive's tasks and A2A's shapes, without a hub. */
class A2aShapesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyHiveStatusHasAnA2aState() {
    for (TaskStatus s : TaskStatus.values()) {
      String state = A2aShapes.STATES.get(s.label());
      assertNotNull(state, s.label() + " has no A2A state (docs/a2a.md's table too)");
      assertEquals(s.isTerminal(), A2aShapes.isFinal(state), s.label());
    }
  }

  @Test
  void stateNamesAreEachVersions() {
    assertEquals(
        "input-required", A2aShapes.stateName("TASK_STATE_INPUT_REQUIRED", A2aVersion.V0_3));
    assertEquals("canceled", A2aShapes.stateName("TASK_STATE_CANCELED", A2aVersion.V0_3));
    assertEquals("TASK_STATE_WORKING", A2aShapes.stateName("TASK_STATE_WORKING", A2aVersion.V1_0));
    assertEquals("TASK_STATE_CANCELED", A2aShapes.parseState("canceled"));
    assertEquals("TASK_STATE_COMPLETED", A2aShapes.parseState("TASK_STATE_COMPLETED"));
    assertNull(A2aShapes.parseState("finished"));
  }

  @Test
  void aFailedStepOfAWorkflowCarriesItsErrorAndContext() throws Exception {
    JsonNode ours =
        JSON.readTree(
            "{\"id\": \"t1\", \"status\": \"failed\", \"workflow_id\": \"w1\", \"input\": \"hi\","
                + " \"created_at\": \"2026-01-01T00:00:00Z\", \"completed_at\":"
                + " \"2026-01-01T00:00:05Z\", \"result\": {\"error\": \"boom\", \"output\":"
                + " \"partial\"}}");
    JsonNode v1 = A2aShapes.task(ours, A2aVersion.V1_0);
    assertEquals("w1", v1.get("contextId").asText());
    assertEquals("TASK_STATE_FAILED", v1.at("/status/state").asText());
    assertEquals("boom", v1.at("/status/message/parts/0/text").asText());
    assertEquals("2026-01-01T00:00:05Z", v1.at("/status/timestamp").asText());
    assertEquals("partial", v1.at("/artifacts/0/parts/0/text").asText());
    JsonNode v03 = A2aShapes.task(ours, A2aVersion.V0_3);
    assertEquals("task", v03.get("kind").asText());
    assertEquals("failed", v03.at("/status/state").asText());
    assertEquals("agent", v03.at("/status/message/role").asText());
    assertEquals("text", v03.at("/artifacts/0/parts/0/kind").asText());
  }

  @Test
  void theVersionComesFromTheHeaderElseTheMethodsName() {
    assertEquals(A2aVersion.V1_0, A2aVersion.of(Optional.empty(), "SendMessage"));
    assertEquals(A2aVersion.V0_3, A2aVersion.of(Optional.empty(), "message/send"));
    assertEquals(A2aVersion.V0_3, A2aVersion.of(Optional.of("0.3"), "SendMessage"));
    assertEquals(A2aVersion.V1_0, A2aVersion.of(Optional.of("1.0"), "tasks/get"));
    A2aError e = assertThrows(A2aError.class, () -> A2aVersion.of(Optional.of("2.0"), "GetTask"));
    assertEquals(A2aError.VERSION_NOT_SUPPORTED, e.code);
  }

  @Test
  void aMessagesTextIsTheInputAndItsFirstLineTheTitle() throws Exception {
    JsonNode body =
        MessageToTask.body(
            JSON.readTree(
                "{\"message\": {\"parts\": [{\"text\": \"\\n  First line\\nsecond\"},"
                    + " {\"kind\": \"text\", \"text\": \"third\"}]},"
                    + " \"metadata\": {\"required_capabilities\": [\"a\", {\"name\": \"b\"}]}}"));
    assertEquals("First line", body.get("title").asText());
    assertEquals("\n  First line\nsecond\nthird", body.get("input").asText());
    assertEquals("a", body.at("/required_capabilities/0/name").asText());
    assertEquals("b", body.at("/required_capabilities/1/name").asText());
    JsonNode data =
        MessageToTask.body(JSON.readTree("{\"message\": {\"parts\": [{\"data\": {\"n\": 1}}]}}"));
    assertEquals(1, data.at("/input/n").asInt());
    assertEquals(60, MessageToTask.title("x".repeat(100)).length());
  }
}
