package io.agenthive.launcher;

import static io.agenthive.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A workflow survives {@code kill -9}: the real launcher in its own JVM runs a chain of six steps,
 * is killed with SIGKILL after the second completed, and started again on the same H2 file. The
 * workflow comes back by itself (nobody asks for it), its remaining steps run, and the journal
 * holds exactly one completion per step.
 */
class WorkflowKillNineTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final int STEPS = 6;
  @TempDir Path dataDir;
  private final HttpClient client = HttpClient.newHttpClient();
  private Process hub;
  private int port;
  private int starts;

  @AfterEach
  void stopHub() throws Exception {
    if (hub != null) {
      hub.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  private void startHub() throws Exception {
    starts++;
    Path log = dataDir.resolve("hub-" + starts + ".log");
    List<String> cmd = ChildJvm.command("-Xmx384m");
    cmd.addAll(List.of("io.agenthive.launcher.Main", "serve"));
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("HIVE_DATA_DIR", dataDir.toString());
    pb.environment().put("HIVE_HTTP_PORT", String.valueOf(port));
    hub = pb.start();
    eventually(
        () -> {
          String text = read(log);
          if (!hub.isAlive()) {
            throw new AssertionError("the hub stopped while starting:\n" + text);
          }
          return text.contains("ready on http") ? Boolean.TRUE : null;
        },
        "the hub ready (" + log + ")",
        Duration.ofSeconds(90));
  }

  private static String read(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p) : "";
    } catch (java.io.IOException e) {
      return "";
    }
  }

  private JsonNode call(String method, String path, String body) throws Exception {
    String key = Files.readString(dataDir.resolve("admin.key")).trim();
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .method(
                    method,
                    body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertTrue(r.statusCode() < 300, method + " " + path + ": " + r.statusCode() + " " + r.body());
    return JSON.readTree(r.body());
  }

  private Map<String, Integer> counts(String workflowId) {
    try {
      JsonNode wf = call("GET", "/api/workflows/" + workflowId, null);
      Map<String, Integer> out = new HashMap<>();
      wf.get("counts").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asInt()));
      out.put("ended:" + wf.get("status").asText(), 1);
      return out;
    } catch (Exception e) {
      return null; // not answering yet: ask again
    }
  }

  @Test
  void aWorkflowKilledMidWayFinishesAfterRestartWithEachStepCompletedOnce() throws Exception {
    Assumptions.assumeFalse(io.agenthive.persistence.TestDatabase.postgres());
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    startHub();
    // proficiency 1: the simulated skill always succeeds; each step takes 400 ms
    call(
        "POST",
        "/api/agents",
        "{\"name\":\"steady\",\"type\":\"worker\",\"capabilities\":[{\"name\":\"wf.chain\",\"proficiency\":1.0}],"
            + "\"skill\":{\"name\":\"simulated\",\"config\":{\"min_duration_ms\":400,"
            + "\"max_duration_ms\":400}}}");
    ObjectNode wf = JSON.createObjectNode().put("name", "chain");
    ArrayNode tasks = wf.putArray("tasks");
    for (int i = 1; i <= STEPS; i++) {
      ObjectNode t = tasks.addObject().put("name", "s" + i).put("title", "step " + i);
      t.putArray("required_capabilities").addObject().put("name", "wf.chain");
      if (i > 1) {
        t.putArray("depends_on").add("s" + (i - 1));
      }
    }
    JsonNode created = call("POST", "/api/workflows", wf.toString());
    String id = created.get("id").asText();
    String lastStep = created.at("/tasks/" + (STEPS - 1) + "/task_id").asText();
    eventually(
        () -> {
          Map<String, Integer> c = counts(id);
          return c != null && c.getOrDefault("completed", 0) >= 2 ? c : null;
        },
        "two steps completed");
    hub.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no flush
    assertTrue(hub.waitFor(30, TimeUnit.SECONDS));

    startHub();
    // only the last step is asked about: the workflow must come back by itself to release it
    eventually(
        () -> {
          try {
            return call("GET", "/api/tasks/" + lastStep, null)
                    .get("status")
                    .asText()
                    .equals("completed")
                ? Boolean.TRUE
                : null;
          } catch (Exception e) {
            return null;
          }
        },
        "the last step completed after the restart",
        Duration.ofSeconds(90));
    Map<String, Integer> end =
        eventually(
            () -> {
              Map<String, Integer> c = counts(id);
              return c != null && c.containsKey("ended:completed") ? c : null;
            },
            "the workflow completed after the restart",
            Duration.ofSeconds(90));
    assertEquals(STEPS, end.get("completed"), end.toString());
    hub.destroy();
    assertTrue(hub.waitFor(60, TimeUnit.SECONDS));
    hub = null;

    try (Connection c =
            DriverManager.getConnection(
                "jdbc:h2:file:" + dataDir.resolve("hive") + ";ACCESS_MODE_DATA=r", "sa", "");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT \"persistence_id\", COUNT(*) FROM \"event_journal\""
                    + " WHERE \"event_ser_manifest\" LIKE '%TaskCompleted'"
                    + " GROUP BY \"persistence_id\"")) {
      int tasksCompleted = 0;
      while (rs.next()) {
        tasksCompleted++;
        assertEquals(1, rs.getLong(2), "one completion for " + rs.getString(1));
      }
      assertEquals(STEPS, tasksCompleted, "every step completed, each once");
    }
  }
}
