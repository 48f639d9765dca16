package io.agenthive.http;

import static io.agenthive.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.agent.AgentState;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code a2a} skill against an A2A agent from outside the JVM: the {@code @a2a-js/sdk} 1.3.0
 * server in deploy/test-tools/a2a/echo-agent.mjs (installed by deploy/test-tools/install.sh, hence
 * -Ptools). A task routed to the a2a agent completes with the remote artifact; cancelling a running
 * task (or an attempt timing out) cancels the remote one; a remote failure fails the attempt with
 * the remote reason; a remote agent gone opens the endpoint's circuit and degrades the agent. The
 * same over a stream, and in protocol 0.3 with the SDK's compatibility layer.
 */
@Tag("needs-tools")
class A2aSkillInteropTest {
  @TempDir static Path dataDir;
  static ApiTestHub hub;
  static EchoAgentProcess echo;

  @BeforeAll
  static void start() throws Exception {
    echo = new EchoAgentProcess();
    hub =
        ApiTestHub.start(
            "A2aSkillInteropTest",
            dataDir,
            """
            hive.skills.egress-allow = "127.0.0.1/32,localhost"
            hive.skills.secret-env-allowlist = "HOME"
            hive.skills.endpoint-guard { max-failures = 2, reset-timeout = 60s }
            """);
  }

  @AfterAll
  static void stop() throws Exception {
    if (hub != null) {
      hub.stop();
    }
    if (echo != null) {
      echo.close();
    }
  }

  /**
   * Registers an a2a agent; without capabilities ({@code "[]"}) the card's skill ids and tags are
   * seeded.
   */
  static JsonNode register(String name, String url, String capabilities) throws Exception {
    var agent =
        hub.http.post(
            "/api/agents",
            """
            {"name": "%s", "type": "worker", "capabilities": %s,
             "skill": {"name": "a2a", "config": {"url": "%s", "timeout_ms": 5000,
                       "headers_from_env": {"X-Hive-Test": "HOME"}}}}"""
                .formatted(name, capabilities, url));
    assertEquals(201, agent.status(), agent.body());
    return agent.json();
  }

  static String submit(String capability, String input, int maxAttempts) throws Exception {
    return submit(capability, input, maxAttempts, 20_000);
  }

  static String submit(String capability, String input, int maxAttempts, long timeoutMs)
      throws Exception {
    var task =
        hub.http.post(
            "/api/tasks",
            """
            {"title": "ask the echo agent", "input": "%s", "max_attempts": %d, "timeout_ms": %d,
             "required_capabilities": [{"name": "%s", "min_proficiency": 0.3}]}"""
                .formatted(input, maxAttempts, timeoutMs, capability));
    assertEquals(201, task.status(), task.body());
    return task.json().get("id").asText();
  }

  static JsonNode awaitStatus(String id, String status) {
    return hub.http
        .getUntil("/api/tasks/" + id, r -> status.equals(r.json().path("status").asText()), status)
        .json();
  }

  @Test
  void aTaskCompletesWithTheRemoteArtifactAndAFailureCarriesTheRemoteReason() throws Exception {
    JsonNode agent = register("echo-remote", echo.url(), "[]");
    assertTrue(
        agent.path("capabilities").toString().contains("\"echo\""),
        "the card's skill id seeded a capability: " + agent);
    JsonNode done = awaitStatus(submit("echo", "hello from the hive", 1), "completed");
    assertEquals(
        "echo: hello from the hive", done.at("/result/output/text").asText(), done.toString());

    JsonNode failed = awaitStatus(submit("echo", "please fail", 1), "failed");
    assertTrue(
        failed.toString().contains("the echo agent was told to fail"),
        "the remote reason reached the task: " + failed);
  }

  @Test
  void cancellingARunningTaskCancelsTheRemoteTask() throws Exception {
    register("echo-slow", echo.url(), "[]");
    String id = submit("text", "slow", 1);
    // cancelled before its message went out, the attempt rightly starts no remote task at all
    eventually(
        () -> echo.started().contains("\"" + id + "\"") ? true : null, "the remote task begun");
    var cancelled = hub.http.post("/api/tasks/" + id + "/cancel", "");
    assertEquals(200, cancelled.status(), cancelled.body());
    // this task's own remote task: the echo agent lists each cancelled one with the hive_task_id
    // its message carried (another test's late cancel must not make this pass)
    eventually(
        () -> echo.cancelled().contains("\"" + id + "\"") ? true : null,
        "the remote task cancelled");
  }

  @Test
  void anAttemptThatTimesOutCancelsTheRemoteTask() throws Exception {
    register("echo-timed", echo.url(), "[{\"name\": \"timed\", \"proficiency\": 0.9}]");
    String id = submit("timed", "slow", 1, 1500);
    JsonNode failed = awaitStatus(id, "failed");
    assertTrue(failed.toString().contains("timed out"), failed.toString());
    eventually(
        () -> echo.cancelled().contains("\"" + id + "\"") ? true : null,
        "the remote task of the timed-out attempt cancelled");
  }

  @Test
  void aStreamingAgentIsFollowedOverServerSentEventsAndCancelledThere() throws Exception {
    try (EchoAgentProcess streaming = new EchoAgentProcess("--streaming")) {
      register(
          "echo-streaming", streaming.url(), "[{\"name\": \"streamed\", \"proficiency\": 0.9}]");
      JsonNode done = awaitStatus(submit("streamed", "over SSE", 1), "completed");
      assertEquals("echo: over SSE", done.at("/result/output/text").asText(), done.toString());
      JsonNode failed = awaitStatus(submit("streamed", "fail on the stream", 1), "failed");
      assertTrue(failed.toString().contains("the echo agent was told to fail"), failed.toString());
      String id = submit("streamed", "slow", 1);
      awaitStatus(id, "running");
      assertEquals(200, hub.http.post("/api/tasks/" + id + "/cancel", "").status());
      eventually(
          () -> streaming.cancelled().length() > 2 ? true : null, "the streamed task cancelled");
    }
  }

  @Test
  void anAgentOnlyAtProtocolZeroThreeIsSpokenToInZeroThree() throws Exception {
    // the SDK's compatibility layer: its one JSON-RPC interface is at protocol 0.3
    try (EchoAgentProcess legacy = new EchoAgentProcess("--v03")) {
      register("echo-v03", legacy.url(), "[{\"name\": \"legacy\", \"proficiency\": 0.9}]");
      JsonNode done = awaitStatus(submit("legacy", "in 0.3", 1), "completed");
      assertEquals("echo: in 0.3", done.at("/result/output/text").asText(), done.toString());
      JsonNode failed = awaitStatus(submit("legacy", "fail in 0.3", 1), "failed");
      assertTrue(failed.toString().contains("the echo agent was told to fail"), failed.toString());
      String id = submit("legacy", "slow", 1);
      awaitStatus(id, "running");
      assertEquals(200, hub.http.post("/api/tasks/" + id + "/cancel", "").status());
      eventually(() -> legacy.cancelled().length() > 2 ? true : null, "the 0.3 task cancelled");
    }
  }

  @Test
  void aBadUrlIsA400NamingTheField() throws Exception {
    int closed;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    var refused =
        hub.http.post(
            "/api/agents",
            """
            {"name": "nowhere", "type": "worker",
             "skill": {"name": "a2a", "config": {"url": "http://127.0.0.1:%d/"}}}"""
                .formatted(closed));
    assertEquals(400, refused.status(), refused.body());
    assertTrue(refused.body().contains("skill.config.url"), refused.body());
    assertTrue(refused.body().contains("connection refused"), refused.body());
  }

  @Test
  void aRemoteAgentGoneOpensTheCircuitAndDegradesTheAgent() throws Exception {
    String agentId;
    try (EchoAgentProcess doomed = new EchoAgentProcess()) {
      // a capability of its own: the other tests' tasks never reach it
      agentId =
          register("echo-doomed", doomed.url(), "[{\"name\": \"doomed\", \"proficiency\": 0.9}]")
              .get("id")
              .asText();
      awaitStatus(submit("doomed", "doomed-1", 1), "completed");
    }
    // two more tasks fail on the refused connection: max-failures = 2 opens the circuit
    for (int i = 0; i < 2; i++) {
      String id = submit("doomed", "after the agent went away", 1);
      hub.http.getUntil(
          "/api/tasks/" + id,
          r -> r.json().path("status").asText().matches("failed|completed"),
          "task ended");
    }
    eventually(
        () ->
            hub.hive.agents().get(agentId).toCompletableFuture().get().orElseThrow().state()
                    == AgentState.DEGRADED
                ? true
                : null,
        "the agent degraded by its open circuit");
    String metrics = hub.http.get("/metrics").body();
    assertTrue(
        metrics
            .lines()
            .anyMatch(
                l ->
                    l.startsWith("hive_circuit_state")
                        && l.contains("state=\"open\"")
                        && l.endsWith(" 1.0")),
        metrics.lines().filter(l -> l.startsWith("hive_circuit_state")).toList().toString());
  }
}
