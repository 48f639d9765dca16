package io.agenthive.skill;

import static io.agenthive.hive.HiveTestKit.*;
import static org.junit.jupiter.api.Assertions.*;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import io.agenthive.access.Principal;
import io.agenthive.agent.AgentSpec;
import io.agenthive.hive.Hive;
import io.agenthive.skill.ProviderStandIn.Reply;
import io.agenthive.task.Priority;
import io.agenthive.task.Task;
import io.agenthive.task.TaskSpec;
import io.agenthive.task.TaskStatus;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The {@code http} skill against a local webhook stand-in. */
class HttpSkillTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static ActorTestKit kit;
  static Hive hive;

  @BeforeAll
  static void start() {
    kit = ActorTestKit.create("http-skill", ConfigFactory.load("application-test"));
    hive = io.agenthive.hive.HiveTestKit.start(kit);
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  static Task run(ProviderStandIn server, String capability, int maxAttempts) throws Exception {
    ObjectNode config =
        JSON.createObjectNode().put("url", server.url("/hook")).put("timeout_ms", 2000);
    // a header's value comes from an allowed environment variable (HOME in the tests' config)
    config.putObject("headers_from_env").put("X-Tool", "HOME");
    await(
        hive.agents()
            .register(
                new AgentSpec(
                    "http-" + capability.replace(".", "-"),
                    "worker",
                    List.of(cap(capability, 0.9)),
                    new SkillRef("http", config)),
                Principal.HUB));
    ObjectNode input = JSON.createObjectNode().put("city", "Lyon");
    return submit(
        hive,
        new TaskSpec(
            "weather",
            "look it up",
            "tool",
            Priority.HIGH,
            List.of(needs(capability, 0.5)),
            input,
            null,
            maxAttempts,
            10_000L,
            null));
  }

  @Test
  void postsTheTaskAndMakesTheJsonAnswerItsOutput() throws Exception {
    try (ProviderStandIn server =
        new ProviderStandIn(
            kit.system(), Reply.ok("{\"forecast\": \"sun\", \"quality_score\": 0.9}"))) {
      Task done = awaitStatus(hive, run(server, "http.ok", 3).id(), TaskStatus.COMPLETED);
      assertEquals("sun", done.result().output().get("forecast").asText());
      assertEquals(0.9, done.result().qualityScore(), 1e-9);
      JsonNode sent = JSON.readTree(server.seen().get(0).body());
      assertEquals(done.id(), sent.get("task_id").asText());
      assertEquals(1, sent.get("attempt").asInt());
      assertEquals("Lyon", sent.at("/input/city").asText());
      assertEquals("/hook", server.seen().get(0).path());
    }
  }

  @Test
  void notFoundIsFinalAndServiceUnavailableIsRetried() throws Exception {
    try (ProviderStandIn server =
        new ProviderStandIn(kit.system(), Reply.status(404, "{\"error\": \"no such hook\"}"))) {
      Task failed = awaitStatus(hive, run(server, "http.missing", 3).id(), TaskStatus.FAILED);
      assertEquals(1, failed.attempts());
    }
    try (ProviderStandIn server = new ProviderStandIn(kit.system(), Reply.ok("{\"ok\": 1}"))) {
      server.then(Reply.status(503, "{}"));
      Task done = awaitStatus(hive, run(server, "http.busy", 3).id(), TaskStatus.COMPLETED);
      assertEquals(2, done.attempts());
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
            .put("url", "http://127.0.0.1:" + closed + "/hook")
            .put("timeout_ms", 2000);
    await(
        hive.agents()
            .register(
                new AgentSpec(
                    "http-gone",
                    "worker",
                    List.of(cap("http.gone", 0.9)),
                    new SkillRef("http", config)),
                Principal.HUB));
    Task failed =
        awaitStatus(
            hive,
            submit(
                    hive,
                    new TaskSpec(
                        "weather",
                        "",
                        "tool",
                        Priority.HIGH,
                        List.of(needs("http.gone", 0.5)),
                        null,
                        null,
                        1,
                        10_000L,
                        null))
                .id(),
            TaskStatus.FAILED);
    assertEquals(
        "Endpoint at 127.0.0.1:" + closed + " is unreachable: connection refused",
        failed.result().error());
  }

  @Test
  void aPlainTextAnswerBecomesText() throws Exception {
    try (ProviderStandIn server = new ProviderStandIn(kit.system(), Reply.ok("sunny, 21 C"))) {
      Task done = awaitStatus(hive, run(server, "http.text", 1).id(), TaskStatus.COMPLETED);
      assertEquals("sunny, 21 C", done.result().output().get("text").asText());
    }
  }
}
