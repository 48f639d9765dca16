package io.agenthive.http;

import static io.agenthive.http.A2aServerTest.message;
import static io.agenthive.http.A2aServerTest.rpc;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hub's A2A push notifications on a real port, to a receiver on loopback. */
class A2aPushTest {
  @TempDir static Path dataDir;
  static ApiTestHub hub;
  static HttpTestClient viewer;
  private static final ObjectMapper JSON = new ObjectMapper();
  private final LinkedBlockingQueue<Map<String, String>> received = new LinkedBlockingQueue<>();
  private HttpServer receiver;
  private String hook;

  @BeforeAll
  static void start() throws Exception {
    hub =
        ApiTestHub.start(
            "A2aPushTest",
            dataDir,
            "hive.skills.egress-allow = \"127.0.0.1/32\"\nhive.a2a.poll-interval = 50ms");
    viewer = keyed("push-viewer", "viewer");
  }

  @AfterAll
  static void stop() {
    hub.stop();
  }

  static HttpTestClient keyed(String name, String role) throws Exception {
    var key =
        hub.http.post("/api/keys", "{\"name\": \"" + name + "\", \"role\": \"" + role + "\"}");
    assertEquals(201, key.status(), key.body());
    return hub.http.as(key.json().get("key").asText());
  }

  @BeforeEach
  void listen() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/hook",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          received.add(
              Map.of(
                  "token",
                  String.valueOf(exchange.getRequestHeaders().getFirst("X-A2A-Notification-Token")),
                  "body",
                  body));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.start();
    hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
  }

  @AfterEach
  void close() {
    receiver.stop(0);
  }

  static String queuedTask(HttpTestClient as) throws Exception {
    var sent = rpc(as, "SendMessage", message("to push", "a2a.nobody", false));
    String id = sent.json().at("/result/task/id").asText();
    assertFalse(id.isEmpty(), sent.body());
    return id;
  }

  static HttpTestClient.Reply create(HttpTestClient as, String taskId, String config)
      throws Exception {
    return rpc(
        as, "CreateTaskPushNotificationConfig", "{\"taskId\": \"" + taskId + "\", " + config + "}");
  }

  @Test
  void aPushConfigGetsTheFinalTaskSignedWithItsToken() throws Exception {
    String id = queuedTask(hub.http);
    var set = create(hub.http, id, "\"url\": \"" + hook + "\", \"token\": \"tok-1\"");
    String configId = set.json().at("/result/id").asText();
    assertFalse(configId.isEmpty(), set.body());
    var listed = rpc(hub.http, "ListTaskPushNotificationConfigs", "{\"taskId\": \"" + id + "\"}");
    assertEquals(1, listed.json().at("/result/configs").size(), listed.body());
    var got =
        rpc(
            hub.http,
            "GetTaskPushNotificationConfig",
            "{\"taskId\": \"" + id + "\", \"id\": \"" + configId + "\"}");
    assertEquals(hook, got.json().at("/result/url").asText(), got.body());
    rpc(hub.http, "CancelTask", "{\"id\": \"" + id + "\"}");
    Map<String, String> push = received.poll(20, TimeUnit.SECONDS);
    assertNotNull(push, "no push notification");
    assertEquals("tok-1", push.get("token"));
    JsonNode task = JSON.readTree(push.get("body")).get("task");
    assertEquals(id, task.get("id").asText());
    assertEquals("TASK_STATE_CANCELED", task.at("/status/state").asText());
    var refused = create(hub.http, id, "\"url\": \"ftp://example.org/x\"");
    assertEquals(-32602, refused.json().at("/error/code").asInt(), refused.body());
  }

  @Test
  void headerFieldsTheHttpClientWouldRefuseAreRefusedAtCreationNamingTheField() throws Exception {
    String id = queuedTask(hub.http);
    String url = "\"url\": \"" + hook + "\"";
    Map<String, String> bad =
        Map.of(
            "token",
            url + ", \"token\": \"a\\rb\"",
            "authentication.credentials",
            url + ", \"authentication\": {\"scheme\": \"Bearer\", \"credentials\": \"caf\u00e9\"}",
            "authentication.scheme",
            url + ", \"authentication\": {\"scheme\": \"Bea\\u0001rer\"}");
    for (var field : bad.entrySet()) {
      var r = create(hub.http, id, field.getValue());
      assertEquals(-32602, r.json().at("/error/code").asInt(), r.body());
      assertTrue(r.json().at("/error/message").asText().startsWith(field.getKey()), r.body());
    }
    // the task's good config still gets its notification
    create(hub.http, id, url + ", \"token\": \"fine token\"");
    rpc(hub.http, "CancelTask", "{\"id\": \"" + id + "\"}");
    Map<String, String> push = received.poll(20, TimeUnit.SECONDS);
    assertNotNull(push, "no push notification");
    assertEquals("fine token", push.get("token"));
  }
}
