package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The A2A JavaScript SDK (@a2a-js/sdk, deploy/test-tools/a2a) against a live hub: {@code
 * client-check.mjs} reads the card, sends a message that completes with its artifact, streams a
 * slower task's updates, subscribes to a task and cancels it while it runs, lists, speaks 0.3, and
 * is refused without a key; it prints one JSON line, asserted here. Needs node and {@code npm ci}
 * in deploy/test-tools/a2a (deploy/test-tools/install.sh), hence -Ptools.
 */
@Tag("needs-tools")
class A2aInteropTest {
  static final Path TOOLS = Path.of("../deploy/test-tools/a2a");
  @TempDir static Path dataDir;
  static ApiTestHub hub;

  @BeforeAll
  static void start() throws Exception {
    hub = ApiTestHub.start("A2aInteropTest", dataDir, "hive.a2a.poll-interval = 50ms");
    agent("interop-quick", "noop", "interop.quick", "");
    agent(
        "interop-slow",
        "simulated",
        "interop.slow",
        ", \"config\": {\"min_duration_ms\": 2500, \"max_duration_ms\": 2500}");
  }

  @AfterAll
  static void stop() {
    hub.stop();
  }

  static void agent(String name, String skill, String capability, String config) throws Exception {
    var r =
        hub.http.post(
            "/api/agents",
            "{\"name\": \""
                + name
                + "\", \"type\": \"worker\", \"skill\": {\"name\": \""
                + skill
                + "\""
                + config
                + "}, \"capabilities\": [{\"name\": \""
                + capability
                + "\", \"proficiency\": 1.0}]}");
    assertEquals(201, r.status(), r.body());
  }

  /** The card lists what the agent view table has: the script reads it once, so wait for it. */
  static void cardListsTheAgents() {
    hub.http.getUntil(
        "/.well-known/agent-card.json",
        r -> r.body().contains("capability:interop.quick") && r.body().contains("interop.slow"),
        "the agents' capabilities on the card");
  }

  /** The script's one line of results (its other output is in the failure message). */
  static JsonNode runClientCheck() throws Exception {
    assertTrue(
        Files.isDirectory(TOOLS.resolve("node_modules/@a2a-js/sdk")),
        "run deploy/test-tools/install.sh first (npm ci in deploy/test-tools/a2a)");
    ProcessBuilder pb = new ProcessBuilder("node", "client-check.mjs").directory(TOOLS.toFile());
    pb.environment().put("HUB_URL", hub.http.base());
    pb.environment().put("HUB_KEY", hub.adminKey);
    pb.environment().put("QUICK_CAP", "interop.quick");
    pb.environment().put("SLOW_CAP", "interop.slow");
    pb.environment().put("NOBODY_CAP", "interop.nobody");
    pb.redirectErrorStream(true);
    Process p = pb.start();
    CompletableFuture<String> output =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                p.getInputStream().transferTo(out);
                return out.toString(StandardCharsets.UTF_8);
              } catch (java.io.IOException e) {
                return "unreadable: " + e;
              }
            });
    boolean ended = p.waitFor(120, TimeUnit.SECONDS);
    if (!ended) {
      p.destroyForcibly();
    }
    String text = output.get(10, TimeUnit.SECONDS);
    assertTrue(ended, "client-check.mjs did not end:\n" + text);
    assertEquals(0, p.exitValue(), text);
    List<String> lines = new ArrayList<>(text.lines().filter(l -> l.startsWith("{")).toList());
    assertFalse(lines.isEmpty(), text);
    return new ObjectMapper().readTree(lines.get(lines.size() - 1));
  }

  @Test
  void theJavaScriptSdkTalksToTheHub() throws Exception {
    cardListsTheAgents();
    JsonNode r = runClientCheck();
    String all = r.toPrettyString();

    JsonNode card = r.get("card");
    assertEquals("agent-hive", card.path("name").asText(), all);
    assertTrue(card.path("streaming").asBoolean(), all);
    assertTrue(card.path("pushNotifications").asBoolean(), all);
    assertEquals("1.0", card.path("protocolVersion").asText(), all);
    assertTrue(card.path("skills").toString().contains("capability:interop.quick"), all);

    JsonNode sent = r.get("sent");
    assertEquals("TASK_STATE_COMPLETED", sent.path("state").asText(), all);
    assertEquals("data", sent.path("artifact").asText(), all);
    var ours = hub.http.get("/api/tasks/" + sent.path("id").asText()).json();
    assertEquals("Say hello\nto the hive", ours.get("input").asText());
    assertEquals("completed", ours.get("status").asText());

    List<String> streamed = new ArrayList<>();
    r.get("streamed").forEach(e -> streamed.add(e.asText()));
    assertTrue(streamed.size() >= 3, all);
    assertTrue(streamed.get(0).startsWith("task TASK_STATE_"), all);
    assertTrue(streamed.contains("statusUpdate TASK_STATE_WORKING"), all);
    assertEquals("artifactUpdate data", streamed.get(streamed.size() - 2), all);
    assertEquals("statusUpdate TASK_STATE_COMPLETED", streamed.get(streamed.size() - 1), all);

    JsonNode cancelled = r.get("cancelled");
    assertEquals("TASK_STATE_CANCELED", cancelled.path("cancelledState").asText(), all);
    assertTrue(cancelled.path("seen").toString().contains("TASK_STATE_WORKING"), all);
    assertTrue(cancelled.path("seen").toString().endsWith("\"TASK_STATE_CANCELED\"]"), all);
    assertTrue(cancelled.at("/again/error").asText().endsWith("TaskNotCancelableError"), all);

    JsonNode queued = r.get("queued");
    assertEquals("TASK_STATE_SUBMITTED", queued.path("state").asText(), all);
    assertTrue(queued.path("listed").asBoolean(), all);
    assertEquals("TASK_STATE_CANCELED", queued.path("cancelled").asText(), all);

    assertEquals("TASK_STATE_SUBMITTED", r.at("/legacy/state").asText(), all);
    assertTrue(r.at("/legacy/id").asBoolean(), all);

    assertTrue(r.at("/unauthorized/message").asText().contains("401"), all);
  }
}
