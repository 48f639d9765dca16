package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub as an A2A server on a real port: the card, the JSON-RPC methods in both versions, the
 * guard and roles as on the REST API, errors with A2A's codes, a stream (push notifications: {@link
 * A2aPushTest}).
 */
class A2aServerTest {
  @TempDir static Path dataDir;
  static ApiTestHub hub;
  static HttpTestClient viewer;
  private static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void start() throws Exception {
    // the push notification receiver below listens on loopback
    hub =
        ApiTestHub.start(
            "A2aServerTest",
            dataDir,
            "hive.skills.egress-allow = \"127.0.0.1/32\"\nhive.a2a.poll-interval = 50ms\n"
                + "hive.a2a.max-streams-per-caller = 3");
    var key = hub.http.post("/api/keys", "{\"name\": \"a2a-viewer\", \"role\": \"viewer\"}");
    viewer = hub.http.as(key.json().get("key").asText());
    agent("a2a-quick", "noop", "a2a.quick", "");
    agent(
        "a2a-slow",
        "simulated",
        "a2a.slow",
        ", \"config\": {\"min_duration_ms\": 600, \"max_duration_ms\": 600}");
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

  static HttpTestClient.Reply rpc(HttpTestClient as, String method, String params, String... h)
      throws Exception {
    return as.post(
        "/a2a",
        "{\"jsonrpc\": \"2.0\", \"id\": 7, \"method\": \""
            + method
            + "\", \"params\": "
            + params
            + "}",
        h);
  }

  /** A message whose task needs a capability nobody has: it stays queued. */
  static String message(String text, String capability, boolean wait) {
    return "{\"message\": {\"messageId\": \"m-"
        + System.nanoTime()
        + "\", \"role\": \"ROLE_USER\", \"parts\": [{\"text\": \""
        + text
        + "\"}]}, \"configuration\": {\"returnImmediately\": "
        + !wait
        + "}, \"metadata\": {\"required_capabilities\": [\""
        + capability
        + "\"], \"priority\": \"high\"}}";
  }

  @Test
  void theCardIsOpenAndListsTheAgentsCapabilities() throws Exception {
    // the skills come from the agent view table, which follows the journal by a moment
    var card =
        hub.http
            .as(null)
            .getUntil(
                "/.well-known/agent-card.json",
                r -> r.body().contains("capability:a2a.quick"),
                "the agents' capabilities on the card");
    assertEquals(200, card.status(), card.body());
    JsonNode c = card.json();
    assertEquals(hub.http.base() + "/a2a", c.at("/supportedInterfaces/0/url").asText());
    assertEquals("JSONRPC", c.at("/supportedInterfaces/0/protocolBinding").asText());
    assertEquals("1.0", c.at("/supportedInterfaces/0/protocolVersion").asText());
    assertEquals(hub.http.base() + "/a2a", c.get("url").asText());
    assertTrue(c.at("/capabilities/streaming").asBoolean());
    assertTrue(c.at("/capabilities/pushNotifications").asBoolean());
    assertEquals("Bearer", c.at("/securitySchemes/bearer/httpAuthSecurityScheme/scheme").asText());
    assertEquals("http", c.at("/securitySchemes/bearer/type").asText());
    assertTrue(c.at("/security/0").has("bearer"));
    assertEquals("text/plain", c.at("/defaultInputModes/0").asText());
    JsonNode quick = null;
    for (JsonNode skill : c.get("skills")) {
      if (skill.get("id").asText().equals("capability:a2a.quick")) {
        quick = skill;
      }
    }
    assertNotNull(quick, c.get("skills").toString());
    assertTrue(quick.get("description").asText().contains("1 agent"), quick.toString());
  }

  @Test
  void aMessageBecomesATaskOfTheApiAndIsReadListedAndCancelled() throws Exception {
    var sent =
        rpc(
            hub.http,
            "SendMessage",
            message("Summarise the report\\nin detail", "a2a.nobody", false));
    assertEquals(200, sent.status(), sent.body());
    JsonNode task = sent.json().at("/result/task");
    String id = task.get("id").asText();
    assertEquals("TASK_STATE_SUBMITTED", task.at("/status/state").asText(), sent.body());
    var ours = hub.http.get("/api/tasks/" + id).json();
    assertEquals("Summarise the report", ours.get("title").asText());
    assertEquals("Summarise the report\nin detail", ours.get("input").asText());
    assertEquals("high", ours.get("priority").asText());
    hub.http.getUntil(
        "/api/tasks?q=Summarise", r -> r.body().contains(id), "the task in GET /api/tasks");

    var got = rpc(viewer, "GetTask", "{\"id\": \"" + id + "\"}");
    assertEquals(id, got.json().at("/result/id").asText(), got.body());
    assertEquals("ROLE_USER", got.json().at("/result/history/0/role").asText());

    rpc(hub.http, "SendMessage", message("another", "a2a.nobody", false));
    // the list reads the task view, a moment behind the journal: two tasks there make two pages
    hub.http.getUntil(
        "/api/tasks?limit=1", r -> r.json().hasNonNull("next_cursor"), "a second page of tasks");
    var page = rpc(viewer, "ListTasks", "{\"pageSize\": 1}");
    assertEquals(1, page.json().at("/result/tasks").size(), page.body());
    String token = page.json().at("/result/nextPageToken").asText();
    assertFalse(token.isEmpty(), page.body());
    var next = rpc(viewer, "ListTasks", "{\"pageSize\": 1, \"pageToken\": \"" + token + "\"}");
    assertNotEquals(
        page.json().at("/result/tasks/0/id"), next.json().at("/result/tasks/0/id"), next.body());

    var cancelled = rpc(hub.http, "CancelTask", "{\"id\": \"" + id + "\"}");
    assertEquals("TASK_STATE_CANCELED", cancelled.json().at("/result/status/state").asText());
    var again = rpc(hub.http, "CancelTask", "{\"id\": \"" + id + "\"}");
    assertEquals(-32002, again.json().at("/error/code").asInt(), again.body());
    var missing = rpc(viewer, "GetTask", "{\"id\": \"no-such-task\"}");
    assertEquals(-32001, missing.json().at("/error/code").asInt(), missing.body());
  }

  @Test
  void aBlockingSendAnswersTheCompletedTaskWithItsOutput() throws Exception {
    var sent = rpc(hub.http, "SendMessage", message("quick one", "a2a.quick", true));
    JsonNode task = sent.json().at("/result/task");
    assertEquals("TASK_STATE_COMPLETED", task.at("/status/state").asText(), sent.body());
    assertTrue(task.at("/artifacts/0/parts/0").has("data"), sent.body());
  }

  @Test
  void version03NamesAnswerIn03Shapes() throws Exception {
    String params =
        "{\"message\": {\"kind\": \"message\", \"messageId\": \"legacy-1\", \"role\": \"user\","
            + " \"parts\": [{\"kind\": \"text\", \"text\": \"old style\"}]},"
            + " \"configuration\": {\"blocking\": false},"
            + " \"metadata\": {\"required_capabilities\": [\"a2a.nobody\"]}}";
    var sent = rpc(hub.http, "message/send", params, "A2A-Version", "0.3");
    JsonNode task = sent.json().get("result");
    assertEquals("task", task.get("kind").asText(), sent.body());
    assertEquals("submitted", task.at("/status/state").asText());
    assertEquals("text", task.at("/history/0/parts/0/kind").asText());
    String id = task.get("id").asText();
    var got = rpc(viewer, "tasks/get", "{\"id\": \"" + id + "\"}", "A2A-Version", "0.3");
    assertEquals("task", got.json().at("/result/kind").asText(), got.body());
    var cancelled = rpc(hub.http, "tasks/cancel", "{\"id\": \"" + id + "\"}", "A2A-Version", "0.3");
    assertEquals("canceled", cancelled.json().at("/result/status/state").asText());
    var unknown = rpc(viewer, "GetTask", "{\"id\": \"x\"}", "A2A-Version", "0.9");
    assertEquals(-32009, unknown.json().at("/error/code").asInt(), unknown.body());
  }

  @Test
  void theGuardAndRolesAreTheApis() throws Exception {
    assertEquals(401, rpc(hub.http.as(null), "GetTask", "{\"id\": \"x\"}").status());
    var inQuery =
        hub.http
            .as(null)
            .post(
                "/a2a?access_token=" + viewer.credential,
                "{\"jsonrpc\": \"2.0\", \"id\": 3, \"method\": \"GetTask\", \"params\":"
                    + " {\"id\": \"x\"}}");
    assertEquals(401, inQuery.status(), inQuery.body());
    assertEquals(-32600, inQuery.json().at("/error/code").asInt(), inQuery.body());
    assertTrue(
        inQuery.json().at("/error/message").asText().contains("Authorization: Bearer"),
        inQuery.body());
    var denied = rpc(viewer, "SendMessage", message("not mine to send", "a2a.nobody", false));
    assertEquals(403, denied.status(), denied.body());
    assertEquals("2.0", denied.json().get("jsonrpc").asText());
    assertTrue(denied.json().at("/error/message").asText().contains("operator"), denied.body());
    var push =
        rpc(
            viewer,
            "CreateTaskPushNotificationConfig",
            "{\"taskId\": \"x\", \"url\": \"http://127.0.0.1:1/hook\"}");
    assertEquals(403, push.status(), push.body());
  }

  @Test
  void badRequestsGetJsonRpcErrorsNamingTheField() throws Exception {
    var noMessage = rpc(hub.http, "SendMessage", "{}");
    assertEquals(-32602, noMessage.json().at("/error/code").asInt(), noMessage.body());
    assertTrue(noMessage.json().at("/error/message").asText().startsWith("message"));
    assertEquals(
        "message",
        noMessage.json().at("/error/data/0/fieldViolations/0/field").asText(),
        noMessage.body());
    var badPriority =
        rpc(
            hub.http,
            "SendMessage",
            "{\"message\": {\"messageId\": \"p\", \"role\": \"ROLE_USER\", \"parts\": [{\"text\":"
                + " \"x\"}]}, \"metadata\": {\"priority\": \"urgent\"}}");
    assertEquals(-32602, badPriority.json().at("/error/code").asInt(), badPriority.body());
    assertTrue(
        badPriority.json().at("/error/message").asText().startsWith("metadata.priority"),
        badPriority.body());
    var file =
        rpc(
            hub.http,
            "SendMessage",
            "{\"message\": {\"messageId\": \"f\", \"role\": \"ROLE_USER\", \"parts\": [{\"url\":"
                + " \"http://x/y.pdf\"}]}}");
    assertEquals(-32005, file.json().at("/error/code").asInt(), file.body());
    var parse = hub.http.post("/a2a", "{not json");
    assertEquals(-32700, parse.json().at("/error/code").asInt(), parse.body());
    var unknown = rpc(viewer, "NoSuchMethod", "{}");
    assertEquals(-32601, unknown.json().at("/error/code").asInt(), unknown.body());
    var noId = rpc(viewer, "GetTask", "{}");
    assertEquals(-32602, noId.json().at("/error/code").asInt(), noId.body());
    assertTrue(noId.json().at("/error/message").asText().startsWith("id"), noId.body());
    String huge =
        "{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"GetTask\", \"params\": {\"id\": \""
            + "x".repeat(2 * 1024 * 1024)
            + "\"}}";
    assertEquals(413, hub.http.post("/a2a", huge).status());
  }

  @Test
  void aStreamSendsTheTaskThenItsChangesInOrderAndEnds() throws Exception {
    List<JsonNode> events = stream("SendStreamingMessage", message("slow one", "a2a.slow", false));
    assertTrue(events.get(0).at("/result").has("task"), events.toString());
    JsonNode last = events.get(events.size() - 1).at("/result/statusUpdate");
    assertEquals("TASK_STATE_COMPLETED", last.at("/status/state").asText(), events.toString());
    List<String> kinds = new ArrayList<>();
    for (JsonNode e : events) {
      kinds.add(e.get("result").fieldNames().next());
      assertEquals(7, e.get("id").asInt());
    }
    assertTrue(kinds.contains("artifactUpdate"), kinds.toString());
    assertEquals("artifactUpdate", kinds.get(kinds.size() - 2), kinds.toString());
    boolean working = false;
    for (JsonNode e : events) {
      working |= e.at("/result/statusUpdate/status/state").asText().equals("TASK_STATE_WORKING");
    }
    assertTrue(working, events.toString());
  }

  @Test
  void a03StreamEndsWithAFinalStatusUpdateAndAFinalTaskCannotBeSubscribedTo() throws Exception {
    String params =
        "{\"message\": {\"kind\": \"message\", \"messageId\": \"legacy-stream\", \"role\":"
            + " \"user\", \"parts\": [{\"kind\": \"text\", \"text\": \"streamed old style\"}]},"
            + " \"metadata\": {\"required_capabilities\": [\"a2a.slow\"]}}";
    List<JsonNode> events = stream("message/stream", params, "0.3");
    assertEquals("task", events.get(0).at("/result/kind").asText(), events.toString());
    JsonNode last = events.get(events.size() - 1).get("result");
    assertEquals("status-update", last.get("kind").asText(), events.toString());
    assertEquals("completed", last.at("/status/state").asText());
    assertTrue(last.get("final").asBoolean());
    assertEquals("artifact-update", events.get(events.size() - 2).at("/result/kind").asText());
    String id = last.get("taskId").asText();
    var again = rpc(viewer, "SubscribeToTask", "{\"id\": \"" + id + "\"}");
    assertEquals(-32004, again.json().at("/error/code").asInt(), again.body());
  }

  static List<JsonNode> stream(String method, String params) throws Exception {
    return stream(method, params, "1.0");
  }

  /** Every event of a stream, read until the hub ends it. */
  static List<JsonNode> stream(String method, String params, String version) throws Exception {
    HttpRequest request =
        hub.http
            .authorized(HttpRequest.newBuilder(URI.create(hub.http.base() + "/a2a")))
            .header("Content-Type", "application/json")
            .header("Accept", "text/event-stream")
            .header("A2A-Version", version)
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"jsonrpc\": \"2.0\", \"id\": 7, \"method\": \""
                        + method
                        + "\", \"params\": "
                        + params
                        + "}"))
            .build();
    HttpResponse<java.util.stream.Stream<String>> r =
        HttpClient.newHttpClient()
            .sendAsync(request, HttpResponse.BodyHandlers.ofLines())
            .get(20, TimeUnit.SECONDS);
    assertEquals("text/event-stream", r.headers().firstValue("Content-Type").orElse(""));
    List<JsonNode> events = new ArrayList<>();
    java.util.concurrent.CompletableFuture.runAsync(
            () ->
                r.body()
                    .filter(line -> line.startsWith("data: "))
                    .forEach(
                        line -> {
                          try {
                            events.add(JSON.readTree(line.substring(6)));
                          } catch (Exception e) {
                            throw new IllegalStateException(line, e);
                          }
                        }))
        .get(30, TimeUnit.SECONDS);
    return events;
  }

  /** A subscription's response, once its headers have come (its events are left unread). */
  static HttpResponse<java.io.InputStream> subscription(String credential, String taskId)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(hub.http.base() + "/a2a"))
            .header("Authorization", "Bearer " + credential)
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"jsonrpc\": \"2.0\", \"id\": 7, \"method\": \"SubscribeToTask\","
                        + " \"params\": {\"id\": \""
                        + taskId
                        + "\"}}"))
            .build();
    return HttpClient.newHttpClient()
        .sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
        .get(20, TimeUnit.SECONDS);
  }

  @Test
  void oneCallerCannotTakeEveryStream() throws Exception {
    var key = hub.http.post("/api/keys", "{\"name\": \"a2a-streamer\", \"role\": \"operator\"}");
    String credential = key.json().get("key").asText();
    String id =
        rpc(hub.http, "SendMessage", message("held open", "a2a.nobody", false))
            .json()
            .at("/result/task/id")
            .asText();
    List<HttpResponse<java.io.InputStream>> open = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        open.add(subscription(credential, id));
        assertEquals(200, open.get(i).statusCode());
      }
      var refused = subscription(credential, id);
      assertEquals(503, refused.statusCode());
      JsonNode error = JSON.readTree(refused.body().readAllBytes());
      assertEquals(-32000, error.at("/error/code").asInt(), error.toString());
      assertTrue(error.at("/error/message").asText().contains("per caller"), error.toString());
      // another caller is not held back
      var other = subscription(hub.http.credential, id);
      assertEquals(200, other.statusCode());
      open.add(other);
    } finally {
      // the final state ends every stream, and each gives its place back as it ends
      rpc(hub.http, "CancelTask", "{\"id\": \"" + id + "\"}");
      for (var r : open) {
        try (var body = r.body()) {
          body.readAllBytes();
        }
      }
    }
    String next =
        rpc(hub.http, "SendMessage", message("held again", "a2a.nobody", false))
            .json()
            .at("/result/task/id")
            .asText();
    var again = subscription(credential, next);
    assertEquals(200, again.statusCode());
    rpc(hub.http, "CancelTask", "{\"id\": \"" + next + "\"}");
    again.body().readAllBytes();
  }
}
