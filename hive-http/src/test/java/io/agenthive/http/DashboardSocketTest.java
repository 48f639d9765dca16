package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.http.dashboard.DashboardFormat;
import io.agenthive.http.json.Json;
import io.agenthive.testing.Eventually;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seed hub's {@code /ws} contract, message by message, with a real WebSocket client. */
class DashboardSocketTest {
  @TempDir static Path dataDir;
  static ApiTestHub hub;
  static int port;
  Dashboard ws;

  @BeforeAll
  static void start() throws Exception {
    hub =
        ApiTestHub.start(
            "DashboardSocketTest", dataDir, "hive.http.dashboard.snapshot-interval = 500ms");
    port = hub.http.get("/health").raw().uri().getPort();
  }

  @AfterAll
  static void stop() {
    hub.stop();
  }

  @BeforeEach
  void connect() throws Exception {
    ws = new Dashboard();
  }

  @AfterEach
  void disconnect() {
    ws.socket.abort();
  }

  static final class Dashboard implements WebSocket.Listener {
    final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    final StringBuilder partial = new StringBuilder();
    final WebSocket socket;

    final boolean reads;

    Dashboard() throws Exception {
      this(true);
    }

    Dashboard(boolean reads) throws Exception {
      this.reads = reads;
      socket =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .header("Authorization", "Bearer " + hub.adminKey)
              // as the dashboard's page, served by the hub, opens it
              .header("Origin", "http://127.0.0.1:" + port)
              .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), this)
              .get(10, TimeUnit.SECONDS);
    }

    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(reads ? 1 : 0);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          received.add(Json.MAPPER.readTree(partial.toString()));
        } catch (Exception e) {
          throw new AssertionError(e);
        }
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    void send(String text) throws Exception {
      socket.sendText(text, true).get(5, TimeUnit.SECONDS);
    }

    /** The next message that matches, skipping others (snapshots keep arriving). */
    JsonNode await(Predicate<JsonNode> match, String what) throws InterruptedException {
      // each look takes the next message (waiting up to 200 ms for one); others are passed by
      return Eventually.until(
          () -> received.poll(200, TimeUnit.MILLISECONDS),
          m -> m != null && match.test(m),
          what + " to arrive");
    }

    JsonNode awaitType(String type) throws InterruptedException {
      return await(m -> type.equals(m.path("message_type").asText()), type);
    }
  }

  static Predicate<JsonNode> correlated(String type, String id) {
    return m ->
        type.equals(m.path("message_type").asText())
            && id.equals(m.path("correlation_id").asText());
  }

  @Test
  void sendsHiveStatusFirstInTheSeedShape() throws Exception {
    JsonNode first = ws.received.poll(10, TimeUnit.SECONDS);
    assertNotNull(first);
    assertEquals("hive_status", first.get("message_type").asText());
    for (String f : List.of("message_type", "data", "timestamp", "correlation_id")) {
      assertTrue(first.has(f), f);
    }
    JsonNode data = first.get("data");
    for (String f :
        List.of("hive_id", "created_at", "last_update", "swarm_center", "total_energy")) {
      assertTrue(data.has(f), f + " in " + data);
    }
    for (String f :
        List.of(
            "total_agents",
            "active_agents",
            "completed_tasks",
            "failed_tasks",
            "average_performance",
            "swarm_cohesion",
            "learning_progress")) {
      assertTrue(data.get("metrics").has(f), f + " in " + data);
    }
    assertEquals(2, data.get("swarm_center").size());
  }

  @Test
  void answersPingWithPongAndTheSameSequenceId() throws Exception {
    ws.send("{\"action\": \"ping\", \"sequenceId\": 41}");
    JsonNode pong = ws.await(m -> "pong".equals(m.path("action").asText()), "pong");
    assertEquals(41, pong.get("sequenceId").asInt());
  }

  @Test
  void createsAgentsAndTasksAndPushesTheirUpdates() throws Exception {
    ws.send(
        "{\"action\": \"create_agent\", \"correlation_id\": \"c-1\", \"payload\":"
            + " {\"name\": \"ws-agent\", \"type\": \"Worker\", \"capabilities\": [{\"name\":"
            + " \"ws.cap\", \"proficiency\": 0.7, \"learning_rate\": 0.2}]}}");
    JsonNode created = ws.await(correlated("agent_created", "c-1"), "agent_created");
    assertTrue(created.at("/data/success").asBoolean());
    String agentId = created.at("/data/agent_id").asText();

    JsonNode agents =
        ws.await(
            m ->
                "agents_update".equals(m.path("message_type").asText())
                    && m.at("/data/agents").toString().contains(agentId),
            "agents_update with the agent");
    JsonNode agent = null;
    for (JsonNode a : agents.at("/data/agents")) {
      if (a.get("id").asText().equals(agentId)) {
        agent = a;
      }
    }
    assertNotNull(agent);
    for (String f :
        List.of(
            "id",
            "name",
            "type",
            "state",
            "capabilities",
            "position",
            "energy",
            "experience_count",
            "social_connections")) {
      assertTrue(agent.has(f), f + " in " + agent);
    }
    assertEquals(2, agent.get("position").size());
    double[] again = DashboardFormat.position(agentId);
    assertEquals(again[0], agent.get("position").get(0).asDouble(), 1e-9, "stable position");

    ws.send(
        "{\"action\": \"create_task\", \"correlation_id\": \"c-2\", \"payload\":"
            + " {\"description\": \"ws task\", \"type\": \"general\", \"priority\": 8,"
            + " \"required_capabilities\": [{\"name\": \"ws.cap\", \"min_proficiency\": 0.5,"
            + " \"weight\": 1}]}}");
    String taskId =
        ws.await(correlated("task_created", "c-2"), "task_created").at("/data/task_id").asText();
    JsonNode update =
        ws.await(
            m ->
                "task_status_update".equals(m.path("message_type").asText())
                    && taskId.equals(m.at("/data/task/id").asText()),
            "task_status_update");
    assertEquals(9, update.at("/data/task/priority").asInt(), "critical is 9 on the 1-10 scale");
    JsonNode tasks =
        ws.await(
            m ->
                "tasks_update".equals(m.path("message_type").asText())
                    && m.at("/data/tasks").toString().contains(taskId),
            "tasks_update with the task");
    assertTrue(tasks.at("/data/tasks/0").has("required_capabilities"));
    ws.awaitType("metrics_update");
  }

  /**
   * The seed dashboard's own create form: a capitalised type, an empty capability row (ignored, not
   * a failure), and one agent_created for the creator, not the reply and then the feed's.
   */
  @Test
  void theSeedFormsCreateIsAnnouncedOnceWithBlankRowsIgnoredAndTypesInTheSeedsSpelling()
      throws Exception {
    ws.send(
        "{\"action\": \"create_agent\", \"correlation_id\": \"g-1\", \"payload\":"
            + " {\"name\": \"seed-form\", \"type\": \"Learner\", \"capabilities\": ["
            + "{\"name\": \"ws.form\", \"proficiency\": 0.6, \"learning_rate\": 0.1},"
            + " {\"name\": \"\", \"proficiency\": 0.5, \"learning_rate\": 0.1}]}}");
    JsonNode created = ws.await(correlated("agent_created", "g-1"), "agent_created");
    assertTrue(created.at("/data/success").asBoolean(), created.toString());
    String mine = created.at("/data/agent_id").asText();
    var rest = hub.http.get("/api/agents/" + mine);
    assertEquals(1, rest.json().get("capabilities").size(), "the blank row was left out");
    assertEquals("learner", rest.json().get("type").asText(), "REST keeps our spelling");

    // an agent registered after it, by someone else: the feed announces it after the first
    var other =
        hub.http.post("/api/agents", "{\"name\": \"after\", \"type\": \"specialist:data\"}");
    String theirs = other.json().get("id").asText();
    int[] announcementsOfMine = {0};
    JsonNode[] agents = {null};
    boolean[] sawTheirs = {false};
    Eventually.until(
        () -> {
          JsonNode m = ws.received.poll(200, TimeUnit.MILLISECONDS);
          if (m != null) {
            String type = m.path("message_type").asText();
            if (type.equals("agent_created") && mine.equals(m.at("/data/agent_id").asText())) {
              announcementsOfMine[0]++;
            }
            sawTheirs[0] |=
                type.equals("agent_created") && theirs.equals(m.at("/data/agent_id").asText());
            if (type.equals("agents_update") && m.at("/data/agents").toString().contains(theirs)) {
              agents[0] = m.at("/data/agents");
            }
          }
          return sawTheirs[0] && agents[0] != null;
        },
        Boolean.TRUE::equals,
        "the feed to announce the other agent and send an agents_update with both");
    assertEquals(0, announcementsOfMine[0], "the creator's agent_created came once, as the reply");
    Map<String, String> types = new HashMap<>();
    agents[0].forEach(a -> types.put(a.get("id").asText(), a.get("type").asText()));
    assertEquals("Learner", types.get(mine));
    assertEquals("Specialist:data", types.get(theirs));
  }

  @Test
  void badMessagesGetAnErrorAndTheConnectionStaysOpen() throws Exception {
    ws.send("{not json");
    assertEquals("error", ws.awaitType("error").get("message_type").asText());
    ws.send("{\"action\": \"dance\", \"correlation_id\": \"c-9\"}");
    JsonNode unknown = ws.await(correlated("error", "c-9"), "unknown action error");
    assertEquals("Unknown action: dance", unknown.at("/data/error").asText());
    ws.send(
        "{\"action\": \"create_task\", \"correlation_id\": \"c-10\", \"payload\":"
            + " {\"title\": 7}}");
    JsonNode invalid = ws.await(correlated("error", "c-10"), "validation error");
    assertEquals("title", invalid.at("/data/field_errors/0/field").asText());
    ws.send("{\"action\": \"get_status\", \"correlation_id\": \"c-11\"}");
    ws.await(correlated("hive_status", "c-11"), "hive_status for get_status");
  }

  @Test
  void aDashboardThatStopsReadingDoesNotHoldUpOthers() throws Exception {
    Dashboard stalled = new Dashboard(false);
    try {
      for (int i = 0; i < 30; i++) {
        hub.http.post("/api/agents", "{\"name\": \"ws-load-" + i + "\", \"type\": \"worker\"}");
      }
      ws.await(
          m ->
              "agents_update".equals(m.path("message_type").asText())
                  && m.at("/data/agents").toString().contains("ws-load-29"),
          "updates for the reader");
      assertEquals(0, stalled.received.size());
      assertEquals(200, hub.http.get("/health").status());
    } finally {
      stalled.socket.abort();
    }
  }
}
