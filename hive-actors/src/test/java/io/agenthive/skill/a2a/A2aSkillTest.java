package io.agenthive.skill.a2a;

import static io.agenthive.skill.a2a.A2aStandIn.JSON;
import static io.agenthive.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.typesafe.config.ConfigFactory;
import io.agenthive.common.FieldError;
import io.agenthive.common.HiveLimits;
import io.agenthive.skill.SkillCheck;
import io.agenthive.skill.SkillContext;
import io.agenthive.skill.SkillRequest;
import io.agenthive.skill.SkillResult;
import io.agenthive.skill.SkillRules;
import io.agenthive.skill.guard.EgressPolicy;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The a2a skill against a scripted agent: the 0.3 dialect when the card speaks it, a data part as
 * the output, polling until the task settles, the remote reason of a rejection, input-required,
 * remote errors, cancellation, and what registration refuses.
 */
class A2aSkillTest {
  static ActorTestKit kit;
  static final A2aSkillFactory FACTORY = new A2aSkillFactory();

  @BeforeAll
  static void start() {
    kit =
        ActorTestKit.create(
            "a2a-skill",
            ConfigFactory.parseString(
                    "hive.skills.secret-env-allowlist = \"HOME,A2A_TEST_TOKEN_NOT_SET\"\n"
                        + "hive.limits.max-output = 64KiB")
                .withFallback(ConfigFactory.load("application-test")));
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  static SkillRules rules() {
    return new SkillRules(HiveLimits.get(kit.system()), EgressPolicy.get(kit.system()));
  }

  static String v1Card(A2aStandIn agent) {
    return """
        {"name": "scripted", "supportedInterfaces": [
          {"url": "%s", "protocolBinding": "JSONRPC", "protocolVersion": "1.0"}],
         "capabilities": {"streaming": false},
         "skills": [{"id": "Summarize Text", "tags": ["NLP", "text"]}]}"""
        .formatted(agent.rpcUrl());
  }

  static ObjectNode config(A2aStandIn agent) {
    ObjectNode c = JSON.createObjectNode().put("url", agent.url()).put("timeout_ms", 3000);
    c.putObject("headers_from_env").put("X-Token", "HOME");
    return c;
  }

  static SkillResult run(A2aStandIn agent, String input) throws Exception {
    return FACTORY
        .create(new SkillContext("agent-" + input.hashCode(), config(agent), kit.system()))
        .execute(request(input))
        .toCompletableFuture()
        .get(15, TimeUnit.SECONDS);
  }

  static SkillRequest request(String input) {
    return new SkillRequest(
        "t1",
        1,
        "title",
        "",
        "general",
        TextNode.valueOf(input),
        List.of(),
        0.5,
        Instant.now().plusSeconds(10));
  }

  static String v1Task(String id, String state, String text) {
    return """
        {"task": {"id": "%s", "status": {"state": "%s",
          "message": {"role": "ROLE_AGENT", "parts": [{"text": "%s"}]}}}}"""
        .formatted(id, state, text);
  }

  @Test
  void speaksZeroThreeWhenTheCardDoesAndPollsUntilTheTaskSettles() throws Exception {
    try (A2aStandIn agent = new A2aStandIn()) {
      agent
          .card(
              """
              {"name": "old", "url": "%s", "preferredTransport": "JSONRPC",
               "protocolVersion": "0.3.0", "capabilities": {}}"""
                  .formatted(agent.rpcUrl()))
          .on(
              "message/send",
              p -> "{\"kind\": \"task\", \"id\": \"r1\", \"status\": {\"state\": \"working\"}}")
          .on(
              "tasks/get",
              p ->
                  """
                  {"kind": "task", "id": "r1", "status": {"state": "completed"},
                   "artifacts": [{"artifactId": "a", "parts": [{"kind": "data", "data": {"answer": 42}}]}]}""");
      SkillResult result = run(agent, "the question");
      assertTrue(result.success(), result.error());
      assertEquals(42, result.output().path("answer").asInt(), result.output().toString());
      assertEquals(List.of("message/send", "tasks/get"), agent.methods());
      A2aStandIn.Call send = agent.calls.get(0);
      assertEquals("0.3", send.version());
      assertEquals("user", send.params().at("/message/role").asText());
      assertEquals("text", send.params().at("/message/parts/0/kind").asText());
      assertEquals("the question", send.params().at("/message/parts/0/text").asText());
      assertEquals("t1:1", send.params().at("/message/metadata/idempotency_key").asText());
      assertFalse(send.params().at("/configuration/blocking").asBoolean(true));
      assertEquals("r1", agent.calls.get(1).params().path("id").asText());
    }
  }

  @Test
  void rejectedAndInputRequiredFailForGoodWithTheRemoteReason() throws Exception {
    try (A2aStandIn agent = new A2aStandIn()) {
      agent
          .card(v1Card(agent))
          .on(
              "SendMessage",
              p ->
                  p.at("/message/parts/0/text").asText().equals("reject")
                      ? v1Task("r2", "TASK_STATE_REJECTED", "not my job")
                      : v1Task("r3", "TASK_STATE_INPUT_REQUIRED", "which city?"));
      SkillResult rejected = run(agent, "reject");
      assertFalse(rejected.success() || rejected.retryable());
      assertEquals("the remote A2A agent rejected the task: not my job", rejected.error());
      SkillResult asked = run(agent, "ask");
      assertFalse(asked.success() || asked.retryable());
      assertTrue(asked.error().contains("input-required"), asked.error());
      assertTrue(asked.error().contains("not support yet: which city?"), asked.error());
      assertEquals("1.0", agent.calls.get(0).version());
      assertEquals("ROLE_USER", agent.calls.get(0).params().at("/message/role").asText());
      assertTrue(agent.calls.get(0).params().at("/configuration/returnImmediately").asBoolean());
    }
  }

  @Test
  void aRemoteErrorIsNamedAndAFailedTaskIsRetried() throws Exception {
    try (A2aStandIn agent = new A2aStandIn()) {
      agent
          .card(v1Card(agent))
          .on(
              "SendMessage",
              p ->
                  p.at("/message/parts/0/text").asText().equals("bad")
                      ? "{\"jsonrpc\": \"2.0\", \"id\": 1, \"error\": {\"code\": -32602, \"message\": \"Invalid params\"}}"
                      : v1Task("r4", "TASK_STATE_FAILED", "the model crashed"));
      SkillResult bad = run(agent, "bad");
      assertFalse(bad.success() || bad.retryable());
      assertEquals(
          "the A2A agent answered SendMessage with error -32602: Invalid params", bad.error());
      SkillResult failed = run(agent, "work");
      assertFalse(failed.success());
      assertTrue(failed.retryable(), "a remote failure is retried by the task's policy");
      assertEquals("the remote A2A task failed: the model crashed", failed.error());
    }
  }

  @Test
  void anAbandonedAttemptCancelsTheRemoteTask() throws Exception {
    try (A2aStandIn agent = new A2aStandIn()) {
      agent
          .card(v1Card(agent))
          .on("SendMessage", p -> v1Task("r5", "TASK_STATE_WORKING", ""))
          .on("GetTask", p -> "{\"id\": \"r5\", \"status\": {\"state\": \"TASK_STATE_WORKING\"}}")
          .on(
              "CancelTask",
              p -> "{\"id\": \"r5\", \"status\": {\"state\": \"TASK_STATE_CANCELED\"}}");
      CompletableFuture<Void> abandoned = new CompletableFuture<>();
      var running =
          FACTORY
              .create(new SkillContext("agent-cancel", config(agent), kit.system()))
              .execute(request("slow"), abandoned);
      eventually(() -> agent.methods().contains("GetTask") ? true : null, "the task followed");
      abandoned.complete(null);
      eventually(() -> agent.methods().contains("CancelTask") ? true : null, "CancelTask sent");
      A2aStandIn.Call cancel =
          agent.calls.stream()
              .filter(c -> c.method().equals("CancelTask"))
              .findFirst()
              .orElseThrow();
      assertEquals("r5", cancel.params().path("id").asText());
      running.toCompletableFuture().get(10, TimeUnit.SECONDS); // and the attempt ends
    }
  }

  @Test
  void anAttemptNobodyAbandonsEndsAfterItsDeadlineAndCancelsTheRemoteTask() throws Exception {
    try (A2aStandIn agent = new A2aStandIn()) {
      agent
          .card(v1Card(agent))
          .on("SendMessage", p -> v1Task("r6", "TASK_STATE_WORKING", ""))
          .on("GetTask", p -> "{\"id\": \"r6\", \"status\": {\"state\": \"TASK_STATE_WORKING\"}}")
          .on(
              "CancelTask",
              p -> "{\"id\": \"r6\", \"status\": {\"state\": \"TASK_STATE_CANCELED\"}}");
      SkillRequest soon =
          new SkillRequest(
              "t2",
              1,
              "title",
              "",
              "general",
              TextNode.valueOf("slow"),
              List.of(),
              0.5,
              Instant.now().plusMillis(500));
      SkillResult result =
          FACTORY
              .create(new SkillContext("agent-deadline", config(agent), kit.system()))
              .execute(soon)
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      assertFalse(result.success());
      assertEquals(
          "the remote A2A task was still WORKING at the attempt's deadline", result.error());
      eventually(() -> agent.methods().contains("CancelTask") ? true : null, "CancelTask sent");
    }
  }

  static String streamingCard(A2aStandIn agent) {
    return v1Card(agent).replace("\"streaming\": false", "\"streaming\": true");
  }

  @Test
  void aStreamedTaskGathersAppendedArtifactPartsUntilItCompletes() throws Exception {
    try (A2aStandIn agent = new A2aStandIn()) {
      agent
          .card(streamingCard(agent))
          .on(
              "SendStreamingMessage",
              p ->
                  String.join(
                      "\n",
                      "{\"task\": {\"id\": \"s1\", \"status\": {\"state\": \"TASK_STATE_WORKING\"}}}",
                      "{\"artifactUpdate\": {\"taskId\": \"s1\", \"artifact\": {\"artifactId\": \"a\","
                          + " \"parts\": [{\"text\": \"first\"}]}}}",
                      "{\"artifactUpdate\": {\"taskId\": \"s1\", \"append\": true, \"artifact\":"
                          + " {\"artifactId\": \"a\", \"parts\": [{\"text\": \"second\"}]}}}",
                      "{\"statusUpdate\": {\"taskId\": \"s1\", \"status\": {\"state\":"
                          + " \"TASK_STATE_COMPLETED\"}}}"));
      SkillResult result = run(agent, "stream it");
      assertTrue(result.success(), result.error());
      assertEquals("first\nsecond", result.output().path("text").asText());
      assertEquals(List.of("SendStreamingMessage"), agent.methods());
      assertEquals(System.getenv("HOME"), agent.calls.get(0).token(), "headers_from_env sent");
    }
  }

  @Test
  void aStreamPastTheOutputLimitIsCutOff() throws Exception {
    try (A2aStandIn agent = new A2aStandIn()) {
      String chunk =
          "{\"artifactUpdate\": {\"taskId\": \"s2\", \"append\": true, \"artifact\":"
              + " {\"artifactId\": \"a\", \"parts\": [{\"text\": \""
              + "x".repeat(4096)
              + "\"}]}}}";
      agent
          .card(streamingCard(agent))
          .on(
              "SendStreamingMessage",
              p ->
                  "{\"task\": {\"id\": \"s2\", \"status\": {\"state\": \"TASK_STATE_WORKING\"}}}\n"
                      + String.join("\n", java.util.Collections.nCopies(40, chunk)));
      agent.on(
          "CancelTask", p -> "{\"id\": \"s2\", \"status\": {\"state\": \"TASK_STATE_CANCELED\"}}");
      SkillResult result = run(agent, "too much");
      assertFalse(result.success());
      assertTrue(result.error().startsWith("output_too_large"), result.error());
      eventually(
          () -> agent.methods().contains("CancelTask") ? true : null,
          "the remote task of the failed attempt cancelled");
    }
  }

  @Test
  void registrationReadsTheCardAndNamesWhatIsWrongOnUrl() throws Exception {
    try (A2aStandIn agent = new A2aStandIn()) {
      assertTrue(problem(agent).contains("answered 404"), problem(agent));
      agent.card("not json");
      assertTrue(problem(agent).contains("is not JSON"), problem(agent));
      agent.card("{\"supportedInterfaces\": []}");
      assertTrue(problem(agent).contains("has no name"), problem(agent));
      agent.card(
          """
          {"name": "grpc only", "supportedInterfaces": [
            {"url": "%s", "protocolBinding": "GRPC", "protocolVersion": "1.0"},
            {"url": "%s", "protocolBinding": "JSONRPC", "protocolVersion": "2.0"}]}"""
              .formatted(agent.rpcUrl(), agent.rpcUrl()));
      assertTrue(problem(agent).contains("no JSON-RPC interface"), problem(agent));
      // the configured headers (secrets) go only to url's host: a card may not send them elsewhere
      agent.card(v1Card(agent).replace("127.0.0.1", "localhost"));
      assertTrue(problem(agent).contains("on another host or port than url"), problem(agent));
      agent.card(v1Card(agent));
      SkillCheck fine = check(agent);
      assertEquals(List.of(), fine.errors());
      assertEquals(List.of("Summarize Text", "NLP", "text"), fine.offeredCapabilities());
    }
  }

  @Test
  void theConfigIsCheckedBeforeAnyCall() {
    ObjectNode config = JSON.createObjectNode().put("url", "ftp://remote/").put("colour", "red");
    config.putObject("headers_from_env").put("Authorization", "A2A_TEST_TOKEN_NOT_SET");
    List<String> fields =
        FACTORY.validateConfig(config, rules()).stream().map(FieldError::field).toList();
    assertEquals(List.of("colour", "url"), fields);
    config.put("url", "https://remote.example/").remove("colour");
    List<FieldError> errors = FACTORY.validateConfig(config, rules());
    assertEquals(1, errors.size(), errors.toString());
    assertEquals("headers_from_env.Authorization", errors.get(0).field());
    assertTrue(errors.get(0).message().contains("not set"), errors.get(0).message());
  }

  static SkillCheck check(A2aStandIn agent) throws Exception {
    JsonNode config = config(agent);
    return FACTORY
        .checkRemote(config, rules(), kit.system())
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  static String problem(A2aStandIn agent) throws Exception {
    SkillCheck c = check(agent);
    assertEquals(1, c.errors().size(), c.errors().toString());
    assertEquals("url", c.errors().get(0).field());
    return c.errors().get(0).message();
  }
}
