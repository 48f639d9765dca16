package io.agenthive.http;

import static io.agenthive.http.A2aServerTest.message;
import static io.agenthive.http.A2aServerTest.rpc;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
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
            "hive.skills.egress-allow = \"127.0.0.1/32\"\nhive.a2a.poll-interval = 50ms\n"
                // the secret comes from the environment variable the config names: HOME is set
                + "hive.notify.secret-env = HOME\n"
                + "hive.a2a.max-push-tasks-per-caller = 2");
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
                  "signature",
                  String.valueOf(exchange.getRequestHeaders().getFirst("X-Hive-Signature")),
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
    // signed for its purpose, so it cannot pass as a call of the approval webhook
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(
        new SecretKeySpec(System.getenv("HOME").getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String expected =
        "sha256="
            + HexFormat.of()
                .formatHex(mac.doFinal(("a2a-push\n" + push.get("body")).getBytes(UTF_8)));
    assertEquals(expected, push.get("signature"));
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

  @Test
  void configsAreTheirOwnersAndNeedOperator() throws Exception {
    HttpTestClient a = keyed("push-a", "operator");
    HttpTestClient b = keyed("push-b", "operator");
    String id = queuedTask(a);
    var set = create(a, id, "\"url\": \"" + hook + "\", \"token\": \"a-secret\"");
    String configId = set.json().at("/result/id").asText();
    assertFalse(configId.isEmpty(), set.body());
    String task = "{\"taskId\": \"" + id + "\"}";
    String one = "{\"taskId\": \"" + id + "\", \"id\": \"" + configId + "\"}";
    for (String method :
        new String[] {"ListTaskPushNotificationConfigs", "GetTaskPushNotificationConfig"}) {
      var denied = rpc(viewer, method, method.startsWith("List") ? task : one);
      assertEquals(403, denied.status(), denied.body());
    }
    assertEquals(403, rpc(viewer, "DeleteTaskPushNotificationConfig", one).status());
    var othersGet = rpc(b, "GetTaskPushNotificationConfig", one);
    assertEquals(-32001, othersGet.json().at("/error/code").asInt(), othersGet.body());
    var othersDelete = rpc(b, "DeleteTaskPushNotificationConfig", one);
    assertEquals(-32001, othersDelete.json().at("/error/code").asInt(), othersDelete.body());
    var othersList = rpc(b, "ListTaskPushNotificationConfigs", task);
    assertEquals(0, othersList.json().at("/result/configs").size(), othersList.body());
    var taken = create(b, id, "\"url\": \"" + hook + "\", \"id\": \"" + configId + "\"");
    assertEquals(-32602, taken.json().at("/error/code").asInt(), taken.body());
    var mine = rpc(a, "GetTaskPushNotificationConfig", one);
    assertEquals("a-secret", mine.json().at("/result/token").asText(), mine.body());
    var admins = rpc(hub.http, "ListTaskPushNotificationConfigs", task);
    assertEquals(1, admins.json().at("/result/configs").size(), admins.body());
    var deleted = rpc(a, "DeleteTaskPushNotificationConfig", one);
    assertFalse(deleted.json().has("error"), deleted.body());
    rpc(hub.http, "CancelTask", "{\"id\": \"" + id + "\"}");
  }

  @Test
  void credentialsAreNeverShownBack() throws Exception {
    String id = queuedTask(hub.http);
    var set =
        create(
            hub.http,
            id,
            "\"url\": \""
                + hook
                + "\", \"authentication\": {\"scheme\": \"Bearer\", \"credentials\": \"s3cr3t\"}");
    assertEquals("Bearer", set.json().at("/result/authentication/scheme").asText(), set.body());
    assertFalse(set.body().contains("s3cr3t"), set.body());
    var listed = rpc(hub.http, "ListTaskPushNotificationConfigs", "{\"taskId\": \"" + id + "\"}");
    assertFalse(listed.body().contains("s3cr3t"), listed.body());
    rpc(hub.http, "CancelTask", "{\"id\": \"" + id + "\"}");
  }

  @Test
  void aCallerPastTheirPushCapIsRefusedBeforeATaskIsMade() throws Exception {
    HttpTestClient c = keyed("push-capped", "operator");
    String url = "\"url\": \"" + hook + "\"";
    String first = queuedTask(c);
    String second = queuedTask(c);
    assertFalse(create(c, first, url).json().has("error"));
    assertFalse(create(c, second, url).json().has("error"));
    var third = create(c, queuedTask(c), url);
    assertEquals(503, third.status(), third.body());
    assertEquals(-32000, third.json().at("/error/code").asInt(), third.body());
    // SendMessage carrying a config: refused before its task is made
    String title = "refused-" + System.nanoTime();
    String withPush =
        message(title, "a2a.nobody", false)
            .replace(
                "\"configuration\": {",
                "\"configuration\": {\"taskPushNotificationConfig\": {" + url + "}, ");
    var refused = rpc(c, "SendMessage", withPush);
    assertEquals(-32000, refused.json().at("/error/code").asInt(), refused.body());
    // the task view follows the journal in order: a task sent after shows the refused one was not
    String after = queuedTask(c);
    hub.http.getUntil("/api/tasks?limit=200", r -> r.body().contains(after), "the later task");
    assertFalse(hub.http.get("/api/tasks?limit=200").body().contains(title));
    // another caller is not held back by this one's cap
    HttpTestClient d = keyed("push-other", "operator");
    assertFalse(create(d, queuedTask(d), url).json().has("error"));
    rpc(hub.http, "CancelTask", "{\"id\": \"" + first + "\"}");
  }

  @Test
  void aRefusedMessageGivesBackThePushPlaceItHeld() throws Exception {
    HttpTestClient c = keyed("push-bad-messages", "operator");
    String config =
        "\"configuration\": {\"taskPushNotificationConfig\": {\"url\": \"" + hook + "\"}}";
    for (int i = 0; i < 3; i++) {
      var bad =
          rpc(c, "SendMessage", "{\"message\": {\"messageId\": \"b" + i + "\"}, " + config + "}");
      assertEquals(-32602, bad.json().at("/error/code").asInt(), bad.body());
    }
    String url = "\"url\": \"" + hook + "\"";
    String first = queuedTask(c);
    String second = queuedTask(c);
    assertFalse(create(c, first, url).json().has("error"));
    var kept = create(c, second, url);
    assertFalse(kept.json().has("error"), kept.body());
    rpc(hub.http, "CancelTask", "{\"id\": \"" + first + "\"}");
    rpc(hub.http, "CancelTask", "{\"id\": \"" + second + "\"}");
  }
}
