package io.agenthive.skill.a2a;

import static io.agenthive.skill.a2a.A2aSkillTest.config;
import static io.agenthive.skill.a2a.A2aSkillTest.request;
import static io.agenthive.skill.a2a.A2aSkillTest.streamingCard;
import static io.agenthive.skill.a2a.A2aSkillTest.v1Card;
import static io.agenthive.skill.a2a.A2aSkillTest.v1Task;
import static io.agenthive.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import io.agenthive.skill.SkillContext;
import io.agenthive.skill.SkillResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The a2a skill against agents that misbehave or falter: a stream line that never ends, a stream
 * whose first line comes after the call timeout, an attempt abandoned before its send, a poll and a
 * cancel answered 503 once. The remote task is never left running, and a hostile stream costs at
 * most the output limit.
 */
class A2aSkillFaultsTest {
  static ActorTestKit kit;
  static final A2aSkillFactory FACTORY = new A2aSkillFactory();

  @BeforeAll
  static void start() {
    kit =
        ActorTestKit.create(
            "a2a-skill-faults",
            ConfigFactory.parseString(
                    "hive.skills.secret-env-allowlist = \"HOME\"\n"
                        + "hive.limits.max-output = 64KiB")
                .withFallback(ConfigFactory.load("application-test")));
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  static SkillResult run(A2aStandIn agent, String input) throws Exception {
    return FACTORY
        .create(new SkillContext("agent-" + input.hashCode(), config(agent), kit.system()))
        .execute(request(input))
        .toCompletableFuture()
        .get(15, TimeUnit.SECONDS);
  }

  @Test
  void aStreamLineWithoutEndIsCutOffAtTheLimitAsItArrives() throws Exception {
    try (A2aStandIn agent = new A2aStandIn()) {
      int limit = 64 * 1024; // hive.limits.max-output in this kit
      agent
          .card(streamingCard(agent))
          .streamRaw(
              "SendStreamingMessage",
              (body, closing) -> {
                body.write(("data: " + "x".repeat(limit + 1)).getBytes(StandardCharsets.UTF_8));
                body.flush();
                closing.await(20, TimeUnit.SECONDS); // no newline, ever: held open
              });
      long start = System.nanoTime();
      SkillResult result = run(agent, "endless line");
      assertFalse(result.success());
      assertTrue(
          result.error().startsWith("output_too_large: a line of the event stream of 127.0.0.1:"),
          result.error());
      assertTrue(result.error().contains("passed " + limit + " bytes"), result.error());
      assertTrue(
          Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(5)) < 0,
          "cut off as the bytes came, not at the attempt's deadline");
    }
  }

  @Test
  void aStreamWhoseFirstLineComesLateHasItsRemoteTaskCancelledOnceItsIdShows() throws Exception {
    try (A2aStandIn agent = new A2aStandIn()) {
      CountDownLatch attemptFailed = new CountDownLatch(1);
      CountDownLatch streamClosed = new CountDownLatch(1);
      agent
          .card(streamingCard(agent))
          .on(
              "CancelTask",
              p -> "{\"id\": \"late1\", \"status\": {\"state\": \"TASK_STATE_CANCELED\"}}")
          .streamRaw(
              "SendStreamingMessage",
              (body, closing) -> {
                attemptFailed.await(20, TimeUnit.SECONDS); // the first line only after that
                String task =
                    "{\"jsonrpc\": \"2.0\", \"id\": 1, \"result\": {\"task\": {\"id\": \"late1\","
                        + " \"status\": {\"state\": \"TASK_STATE_WORKING\"}}}}";
                try {
                  body.write(("data: " + task + "\n\n").getBytes(StandardCharsets.UTF_8));
                  body.flush();
                  // keep-alives until the hub closes the stream (a write then fails)
                  for (int i = 0; i < 400 && !closing.await(25, TimeUnit.MILLISECONDS); i++) {
                    body.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                    body.flush();
                  }
                } catch (IOException closed) {
                  streamClosed.countDown();
                }
              });
      ObjectNode config = config(agent).put("timeout_ms", 500); // the breaker waits 1.5 s
      SkillResult result =
          FACTORY
              .create(new SkillContext("agent-late-stream", config, kit.system()))
              .execute(request("late"))
              .toCompletableFuture()
              .get(15, TimeUnit.SECONDS);
      attemptFailed.countDown();
      assertFalse(result.success());
      assertTrue(result.error().contains("did not answer within the call timeout"), result.error());
      eventually(() -> agent.methods().contains("CancelTask") ? true : null, "CancelTask sent");
      assertEquals(
          "late1",
          agent.calls.stream()
              .filter(c -> c.method().equals("CancelTask"))
              .findFirst()
              .orElseThrow()
              .params()
              .path("id")
              .asText());
      assertTrue(streamClosed.await(10, TimeUnit.SECONDS), "the hub closed the stream");
    }
  }

  @Test
  void anAttemptAbandonedBeforeItsMessageWentSendsNone() throws Exception {
    try (A2aStandIn agent = new A2aStandIn()) {
      agent.card(v1Card(agent)).on("SendMessage", p -> v1Task("r9", "TASK_STATE_WORKING", ""));
      SkillResult result =
          FACTORY
              .create(new SkillContext("agent-abandoned-early", config(agent), kit.system()))
              .execute(request("never sent"), CompletableFuture.completedFuture(null))
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      assertFalse(result.success());
      assertEquals(List.of(), agent.methods());
    }
  }

  @Test
  void aPollAnswered503OnceIsPolledPastAndTheAttemptCompletes() throws Exception {
    try (A2aStandIn agent = new A2aStandIn()) {
      agent
          .card(v1Card(agent))
          .on("SendMessage", p -> v1Task("r10", "TASK_STATE_WORKING", ""))
          .on(
              "GetTask",
              p ->
                  """
                  {"id": "r10", "status": {"state": "TASK_STATE_COMPLETED"},
                   "artifacts": [{"artifactId": "a", "parts": [{"text": "done"}]}]}""")
          .failing("GetTask", 1, 503);
      SkillResult result = run(agent, "poll through a 503");
      assertTrue(result.success(), result.error());
      assertEquals(List.of("SendMessage", "GetTask", "GetTask"), agent.methods());
    }
  }

  @Test
  void aCancelAnswered503IsSentAgain() throws Exception {
    try (A2aStandIn agent = new A2aStandIn()) {
      agent
          .card(v1Card(agent))
          .on("SendMessage", p -> v1Task("r11", "TASK_STATE_WORKING", ""))
          .on("GetTask", p -> "{\"id\": \"r11\", \"status\": {\"state\": \"TASK_STATE_WORKING\"}}")
          .on(
              "CancelTask",
              p -> "{\"id\": \"r11\", \"status\": {\"state\": \"TASK_STATE_CANCELED\"}}")
          .failing("CancelTask", 1, 503);
      CompletableFuture<Void> abandoned = new CompletableFuture<>();
      var running =
          FACTORY
              .create(new SkillContext("agent-cancel-again", config(agent), kit.system()))
              .execute(request("slow"), abandoned);
      eventually(() -> agent.methods().contains("GetTask") ? true : null, "the task followed");
      abandoned.complete(null);
      eventually(
          () -> agent.methods().stream().filter("CancelTask"::equals).count() == 2 ? true : null,
          "CancelTask sent again after its 503");
      running.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
