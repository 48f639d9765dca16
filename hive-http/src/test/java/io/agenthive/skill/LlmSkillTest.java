package io.agenthive.skill;

import static io.agenthive.hive.HiveTestKit.*;
import static io.agenthive.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.typesafe.config.ConfigFactory;
import io.agenthive.access.Principal;
import io.agenthive.agent.AgentSpec;
import io.agenthive.agent.AgentState;
import io.agenthive.agent.AgentView;
import io.agenthive.common.HiveException;
import io.agenthive.hive.Hive;
import io.agenthive.metrics.HiveMetrics;
import io.agenthive.skill.ProviderStandIn.Reply;
import io.agenthive.task.Priority;
import io.agenthive.task.Task;
import io.agenthive.task.TaskSpec;
import io.agenthive.task.TaskStatus;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code llm} skill against local stand-ins that answer like the OpenAI chat completions API
 * and Ollama's /api/chat: results and token counts, the prompt sent, 429 with Retry-After, final
 * 4xx, a breaker that opens on 500s and closes again, slow answers.
 */
class LlmSkillTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static ActorTestKit kit;
  static Hive hive;

  @BeforeAll
  static void start() {
    kit =
        ActorTestKit.create(
            "llm-skill",
            ConfigFactory.parseString(
                    """
        hive.skills.endpoint-guard { max-failures = 2, reset-timeout = 1500ms,
          requests-per-second = 50, max-queue-wait = 2s }
        # small enough for a test to pass with a streamed answer
        hive.limits { max-output = 128KiB, inline-output = 64KiB }
        """)
                .withFallback(ConfigFactory.load("application-test")));
    hive = io.agenthive.hive.HiveTestKit.start(kit);
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  static String completion(String answer, int prompt, int completion) {
    return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1763800000,"
        + "\"model\":\"stand-in-1\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
        + "\"content\":\""
        + answer
        + "\"},\"finish_reason\":\"stop\"}],\"usage\":{"
        + "\"prompt_tokens\":"
        + prompt
        + ",\"completion_tokens\":"
        + completion
        + ",\"total_tokens\":"
        + (prompt + completion)
        + "}}";
  }

  static ObjectNode openAi(ProviderStandIn server) {
    return JSON.createObjectNode()
        .put("base_url", server.url("/v1"))
        .put("model", "stand-in-1")
        .put("api_key_env", "HOME")
        .put("system_prompt", "You are terse.")
        .put("temperature", 0.2)
        .put("max_tokens", 64)
        .put("prompt_template", "Summarise {{title}}: {{input}}")
        .put("timeout_ms", 800);
  }

  static AgentView llmAgent(String name, String capability, ObjectNode config) {
    return await(
        hive.agents()
            .register(
                new AgentSpec(
                    name, "worker", List.of(cap(capability, 0.9)), new SkillRef("llm", config)),
                Principal.HUB));
  }

  static Task run(String capability, String input, int maxAttempts) {
    return submit(
        hive,
        new TaskSpec(
            "report",
            "",
            "general",
            Priority.MEDIUM,
            List.of(needs(capability, 0.5)),
            TextNode.valueOf(input),
            null,
            maxAttempts,
            10_000L,
            null));
  }

  /** The node's {@code hive_llm_tokens_total} for the stand-in's model, as /metrics shows it. */
  private static double tokenMetric(String direction) {
    for (MetricSnapshot s : HiveMetrics.get(kit.system()).registry().scrape()) {
      if (s instanceof CounterSnapshot c && s.getMetadata().getName().equals("hive_llm_tokens")) {
        for (CounterSnapshot.CounterDataPointSnapshot d : c.getDataPoints()) {
          if ("stand-in-1".equals(d.getLabels().get("model"))
              && direction.equals(d.getLabels().get("direction"))) {
            return d.getValue();
          }
        }
      }
    }
    return 0;
  }

  @Test
  void answersWithTheModelsTextAndCountsTokensOnTaskAndAgent() throws Exception {
    try (ProviderStandIn server =
        new ProviderStandIn(kit.system(), Reply.ok(completion("Short.", 21, 2)))) {
      AgentView agent = llmAgent("llm-happy", "llm.happy", openAi(server));
      double inputBefore = tokenMetric("input");
      double outputBefore = tokenMetric("output");
      Task done = awaitStatus(hive, run("llm.happy", "a long text", 3).id(), TaskStatus.COMPLETED);
      assertEquals(21, tokenMetric("input") - inputBefore, "hive_llm_tokens_total, input");
      assertEquals(2, tokenMetric("output") - outputBefore, "hive_llm_tokens_total, output");
      JsonNode out = done.result().output();
      assertEquals("Short.", out.get("answer").asText());
      assertEquals("stand-in-1", out.get("model").asText());
      assertEquals(23, out.at("/usage/total_tokens").asInt());
      assertEquals(21, out.at("/usage/input_tokens").asInt());
      ProviderStandIn.Seen call = server.seen().get(0);
      assertEquals("/v1/chat/completions", call.path());
      assertEquals(
          "Bearer " + System.getenv("HOME"),
          call.authorization(),
          "the key comes from the variable named in api_key_env");
      JsonNode sent = JSON.readTree(call.body());
      assertEquals("stand-in-1", sent.get("model").asText());
      assertEquals(0.2, sent.get("temperature").asDouble(), 1e-9);
      assertEquals(64, sent.path("max_tokens").asInt(sent.path("max_completion_tokens").asInt()));
      assertEquals("system", sent.at("/messages/0/role").asText());
      assertEquals("You are terse.", sent.at("/messages/0/content").asText());
      assertEquals("Summarise report: a long text", sent.at("/messages/1/content").asText());
      assertEquals(
          23,
          eventually(
              () -> {
                long used = await(hive.agents().get(agent.id())).orElseThrow().tokensUsed();
                return used > 0 ? used : null;
              },
              "the agent to count its tokens"));
    }
  }

  @Test
  void speaksOllamasOwnApi() throws Exception {
    try (ProviderStandIn server =
        new ProviderStandIn(
            kit.system(),
            Reply.ok(
                "{\"model\":\"llama3\",\"created_at\":\"2026-11-22T00:00:00Z\",\"message\":{\"role\":"
                    + "\"assistant\",\"content\":\"Hallo.\"},\"done\":true,\"done_reason\":\"stop\","
                    + "\"prompt_eval_count\":7,\"eval_count\":3}"))) {
      ObjectNode config =
          JSON.createObjectNode()
              .put("provider", "ollama")
              .put("base_url", server.url(""))
              .put("model", "llama3");
      llmAgent("llm-ollama", "llm.ollama", config);
      Task done = awaitStatus(hive, run("llm.ollama", "hello", 1).id(), TaskStatus.COMPLETED);
      assertEquals("Hallo.", done.result().output().get("answer").asText());
      assertEquals(10, done.result().output().at("/usage/total_tokens").asInt());
      assertEquals("/api/chat", server.seen().get(0).path());
    }
  }

  @Test
  void aStreamedAnswerPastMaxOutputIsCutOffAndFailsTheAttempt() throws Exception {
    String huge = "x".repeat(200 * 1024);
    try (ProviderStandIn server =
        new ProviderStandIn(kit.system(), Reply.ok(completion(huge, 5, 1)))) {
      llmAgent("llm-huge", "llm.huge", openAi(server));
      Task failed = awaitStatus(hive, run("llm.huge", "x", 1).id(), TaskStatus.FAILED);
      // cut off while it streamed in, not judged whole afterwards
      assertTrue(
          failed.result().error().contains("output_too_large: the answer of the LLM endpoint"),
          failed.result().error());
    }
  }

  /** LangChain4j completes the answer on close, [DONE] or not: a cut-off one was a success. */
  @Test
  void aStreamCutOffBeforeItsEndMarkerIsARetryableFailure() throws Exception {
    try (ProviderStandIn openAi =
            new ProviderStandIn(kit.system(), Reply.ok(completion("one two three four", 5, 4)));
        ProviderStandIn ollama =
            new ProviderStandIn(
                kit.system(),
                Reply.ok(
                    "{\"model\":\"llama3\",\"message\":{\"role\":\"assistant\",\"content\":"
                        + "\"one two three four\"},\"done\":true,\"done_reason\":\"stop\"}"))) {
      openAi.cutStreamsAfter(2);
      ollama.cutStreamsAfter(2);
      llmAgent("llm-cut", "llm.cut", openAi(openAi));
      llmAgent(
          "llm-cut-ollama",
          "llm.cut-ollama",
          JSON.createObjectNode()
              .put("provider", "ollama")
              .put("base_url", ollama.url(""))
              .put("model", "llama3")
              .put("timeout_ms", 800));
      for (String capability : List.of("llm.cut", "llm.cut-ollama")) {
        Task failed = awaitStatus(hive, run(capability, "x", 2).id(), TaskStatus.FAILED);
        assertEquals(2, failed.attempts(), "retryable: both attempts were used");
        assertTrue(failed.result().error().contains("end marker"), failed.result().error());
      }
    }
  }

  /** A cancelled attempt closes its stream instead of reading on and telling a gone output. */
  @Test
  void aCancelledAttemptStopsReadingItsStream() throws Exception {
    StringBuilder words = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      words.append("w").append(i).append(' ');
    }
    try (ProviderStandIn server =
        new ProviderStandIn(kit.system(), Reply.ok(completion(words.toString().trim(), 5, 40)))) {
      server.streamEvery(Duration.ofMillis(200)); // 8 s in all, far past the cancel
      ObjectNode config = openAi(server).put("timeout_ms", 20_000);
      llmAgent("llm-cancelled", "llm.cancelled", config);
      String id = run("llm.cancelled", "x", 1).id();
      io.agenthive.testing.Eventually.until(
          () -> server.seen().size(), n -> n >= 1, "the stream was asked for");
      await(hive.tasks().cancel(id, Principal.HUB));
      io.agenthive.testing.Eventually.until(
          server::streamsEndedEarly, n -> n >= 1, "the cancelled attempt closed its stream");
    }
  }

  @Test
  void rateLimitedAnswerIsRetriedByTheTasksPolicyAfterRetryAfter() throws Exception {
    try (ProviderStandIn server =
        new ProviderStandIn(kit.system(), Reply.ok(completion("Later.", 5, 1)))) {
      server.then(
          Reply.status(429, "{\"error\":{\"message\":\"slow down\"}}")
              .withHeader("Retry-After", "1"));
      llmAgent("llm-429", "llm.limited", openAi(server));
      Task done = awaitStatus(hive, run("llm.limited", "x", 3).id(), TaskStatus.COMPLETED);
      assertEquals(2, done.attempts(), "the 429 cost one attempt, the retry succeeded");
      List<ProviderStandIn.Seen> calls = server.seen();
      assertEquals(2, calls.size());
      assertTrue(
          calls.get(1).atNanos() - calls.get(0).atNanos() >= Duration.ofSeconds(1).toNanos(),
          "no call to the endpoint before its Retry-After passed");
    }
  }

  @Test
  void clientErrorFailsTheTaskWithoutRetrying() throws Exception {
    try (ProviderStandIn server =
        new ProviderStandIn(
            kit.system(), Reply.status(400, "{\"error\":{\"message\":\"unknown model\"}}"))) {
      llmAgent("llm-400", "llm.bad", openAi(server));
      Task failed = awaitStatus(hive, run("llm.bad", "x", 3).id(), TaskStatus.FAILED);
      assertEquals(1, failed.attempts(), "a 4xx is final whatever max_attempts says");
      assertTrue(failed.result().error().contains("400"), failed.result().error());
      assertEquals(1, server.seen().size());
    }
  }

  @Test
  void anUnreachableEndpointIsNamedWithHostPortAndCause() throws Exception {
    int closed;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closed = socket.getLocalPort(); // nothing listens there once the socket is closed
    }
    ObjectNode config =
        JSON.createObjectNode()
            .put("base_url", "http://127.0.0.1:" + closed + "/v1")
            .put("model", "stand-in-1")
            .put("api_key_env", "HOME")
            .put("timeout_ms", 800);
    llmAgent("llm-gone", "llm.gone", config);
    Task failed = awaitStatus(hive, run("llm.gone", "x", 1).id(), TaskStatus.FAILED);
    assertEquals(
        "LLM endpoint at 127.0.0.1:" + closed + " is unreachable: connection refused",
        failed.result().error());
  }

  @Test
  void anOpenBreakerDegradesTheAgentUntilATrialCallInsteadOfFailingAttemptsFast() throws Exception {
    try (ProviderStandIn server =
        new ProviderStandIn(
            kit.system(), Reply.status(500, "{\"error\":{\"message\":\"boom\"}}"))) {
      String agent = llmAgent("llm-500", "llm.flaky", openAi(server)).id();
      Task failed = awaitStatus(hive, run("llm.flaky", "x", 3).id(), TaskStatus.FAILED);
      assertEquals(3, failed.attempts(), "5xx is retried up to max_attempts");
      assertTrue(failed.result().error().contains("answered 500"), failed.result().error());
      // two 500s opened the circuit: the agent took no work until it half-opened, so the third
      // attempt was the trial call, not an attempt burned failing fast
      assertEquals(3, server.seen().size(), "every attempt reached the endpoint");
      eventually(
          () ->
              await(hive.agents().get(agent)).orElseThrow().state() == AgentState.DEGRADED
                  ? Boolean.TRUE
                  : null,
          "the agent degraded again after the failed trial");
      server.answerFromNowOn(Reply.ok(completion("Back.", 1, 1)));
      Task healed = awaitStatus(hive, run("llm.flaky", "y", 1).id(), TaskStatus.COMPLETED);
      assertEquals("Back.", healed.result().output().get("answer").asText());
      assertEquals(1, healed.attempts(), "it waited for the agent instead of failing");
      Task next = awaitStatus(hive, run("llm.flaky", "z", 1).id(), TaskStatus.COMPLETED);
      assertEquals(1, next.attempts(), "the trial call closed the circuit");
      assertEquals(AgentState.IDLE, await(hive.agents().get(agent)).orElseThrow().state());
    }
  }

  @Test
  void slowAnswerTimesOutAndIsRetried() throws Exception {
    try (ProviderStandIn server =
        new ProviderStandIn(kit.system(), Reply.ok(completion("Fast now.", 1, 1)))) {
      server.then(Reply.ok(completion("Too late.", 1, 1)).after(Duration.ofSeconds(3)));
      llmAgent("llm-slow", "llm.slow", openAi(server));
      Task done = awaitStatus(hive, run("llm.slow", "x", 3).id(), TaskStatus.COMPLETED);
      assertEquals(2, done.attempts());
      assertEquals("Fast now.", done.result().output().get("answer").asText());
    }
  }

  @Test
  void configIsCheckedAtRegistrationAndNeverHoldsAKey() {
    ObjectNode config =
        JSON.createObjectNode()
            .put("base_url", "not a url")
            .put("api_key", "sk-secret")
            .put("temperature", 7);
    Throwable error =
        failureOf(
            hive.agents()
                .register(
                    new AgentSpec("llm-bad", "worker", List.of(), new SkillRef("llm", config)),
                    Principal.HUB));
    assertTrue(error instanceof HiveException, error.toString());
    List<String> fields =
        ((HiveException) error).fieldErrors().stream().map(e -> e.field()).toList();
    assertEquals(
        List.of(
            "skill.config.base_url",
            "skill.config.model",
            "skill.config.api_key",
            "skill.config.temperature"),
        fields);
  }
}
