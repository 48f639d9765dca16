package io.agenthive.skill;

import static io.agenthive.hive.HiveTestKit.*;
import static org.junit.jupiter.api.Assertions.*;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.stream.javadsl.Sink;
import akka.util.ByteString;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import io.agenthive.access.Principal;
import io.agenthive.agent.AgentSpec;
import io.agenthive.blob.BlobStores;
import io.agenthive.hive.Hive;
import io.agenthive.task.Priority;
import io.agenthive.task.Task;
import io.agenthive.task.TaskSpec;
import io.agenthive.task.TaskStatus;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Endpoints that answer too much, forever, or not at all cost one attempt each (a named reason,
 * within its timeout), never the hub's memory; a large answer within the limit is kept beside its
 * event. Against a real local HTTP endpoint ({@link AbusiveEndpoint}), with the default limits
 * (max-output 4 MiB, inline-output 64 KiB).
 */
class OversizedAnswerTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final long MAX_OUTPUT = 4L * 1024 * 1024;
  static ActorTestKit kit;
  static Hive hive;
  static AbusiveEndpoint endpoint;

  @BeforeAll
  static void start() throws Exception {
    kit = ActorTestKit.create("oversized", ConfigFactory.load("application-test"));
    hive = io.agenthive.hive.HiveTestKit.start(kit);
    endpoint = new AbusiveEndpoint();
  }

  @AfterAll
  static void stop() {
    endpoint.close();
    kit.shutdownTestKit();
  }

  static Task runHttp(String capability, String path, long timeoutMs) {
    ObjectNode config =
        JSON.createObjectNode().put("url", endpoint.url(path)).put("timeout_ms", timeoutMs);
    return runWith(capability, new SkillRef("http", config), timeoutMs + 10_000);
  }

  static Task runWith(String capability, SkillRef skill, long taskTimeoutMs) {
    await(
        hive.agents()
            .register(
                new AgentSpec(
                    "agent-" + capability.replace('.', '-'),
                    "worker",
                    List.of(cap(capability, 0.9)),
                    skill),
                Principal.HUB));
    return submit(
        hive,
        new TaskSpec(
            "ask",
            "",
            "tool",
            Priority.HIGH,
            List.of(needs(capability, 0.5)),
            null,
            null,
            1,
            taskTimeoutMs,
            null));
  }

  @Test
  void answersPastTheOutputLimitAreCutOffWhileTheyStream() {
    long before = endpoint.sent();
    for (String path : List.of("/json/26214400", "/text/209715200", "/endless")) {
      String capability = "big" + path.replaceAll("[^a-z0-9]", ".");
      Task failed = awaitStatus(hive, runHttp(capability, path, 60_000).id(), TaskStatus.FAILED);
      String error = failed.result().error();
      assertTrue(error.startsWith("output_too_large: the answer of 127.0.0.1:"), error);
      assertTrue(error.contains("(hive.limits.max-output)"), error);
    }
    // 25 MB + 200 MB + endless were offered; the hub read about the limit of each and hung up
    long sent = endpoint.sent() - before;
    assertTrue(sent < 3 * (MAX_OUTPUT + 16L * 1024 * 1024), "the endpoints sent " + sent);
  }

  @Test
  void aBodyThatStallsAfterItsHeadersFailsWithinTheTimeout() {
    Task failed = awaitStatus(hive, runHttp("stall", "/stall", 1_500).id(), TaskStatus.FAILED);
    assertEquals(
        "Endpoint at 127.0.0.1:"
            + endpoint.url("/").split(":")[2].replace("/", "")
            + " did not finish its answer within 1500 ms",
        failed.result().error());
    long ran = failed.result().durationMs();
    assertTrue(ran >= 1_400 && ran < 4_000, "the attempt ran " + ran + " ms");
  }

  @Test
  void anLlmAnswerPastTheLimitFailsTheAttempt() {
    ObjectNode config =
        JSON.createObjectNode()
            .put("base_url", endpoint.url("/json/26214400/v1"))
            .put("model", "stand-in")
            .put("timeout_ms", 60_000);
    Task failed =
        awaitStatus(
            hive, runWith("llm.big", new SkillRef("llm", config), 70_000).id(), TaskStatus.FAILED);
    assertTrue(
        failed.result().error().contains("output_too_large: the answer of the LLM endpoint at"),
        failed.result().error());
  }

  @Test
  void aLargeAnswerWithinTheLimitIsKeptBesideItsEvent() throws Exception {
    Task done =
        awaitStatus(hive, runHttp("large", "/json/1048576", 30_000).id(), TaskStatus.COMPLETED);
    assertNull(done.result().output(), "the event holds no 1 MiB output");
    var stored = done.result().stored();
    assertNotNull(stored);
    ByteString bytes =
        await(
            BlobStores.get(kit.system())
                .read(stored.blobId(), 0, -1)
                .runWith(
                    Sink.fold(ByteString.emptyByteString(), ByteString::concat), kit.system()));
    assertEquals(stored.size(), bytes.size());
    assertEquals(
        stored.sha256(),
        HexFormat.of()
            .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.toArrayUnsafe())));
    assertEquals(1048576 - 13, JSON.readTree(bytes.toArrayUnsafe()).get("data").asText().length());
  }
}
