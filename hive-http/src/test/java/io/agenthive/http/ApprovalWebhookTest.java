package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.agenthive.testing.Eventually;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An approval that opens is announced to hive.notify.url, its body signed with the secret. */
class ApprovalWebhookTest {
  @TempDir Path dataDir;

  record Received(String body, String signature) {}

  @Test
  void anOpeningApprovalIsPostedSignedToTheWebhook() throws Exception {
    List<Received> received = new CopyOnWriteArrayList<>();
    HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    hook.createContext(
        "/hook",
        ex -> {
          byte[] body = ex.getRequestBody().readAllBytes();
          received.add(
              new Received(
                  new String(body, StandardCharsets.UTF_8),
                  ex.getRequestHeaders().getFirst("X-Hive-Signature")));
          ex.sendResponseHeaders(204, -1);
          ex.close();
        });
    hook.start();
    // the secret comes from the environment variable the config names: HOME is always set
    ApiTestHub hub =
        ApiTestHub.start(
            "webhook",
            dataDir,
            "hive.skills.egress-allow = \"127.0.0.1/32\"\n"
                + "hive.notify.url = \"http://127.0.0.1:"
                + hook.getAddress().getPort()
                + "/hook\"\n"
                + "hive.notify.secret-env = HOME\n");
    try {
      var r =
          hub.http.post(
              "/api/tasks",
              "{\"kind\":\"approval\",\"prompt\":\"Deploy?\",\"approvers\":[\"role:admin\"]}");
      assertEquals(201, r.status(), r.body());
      Received got =
          Eventually.eventually(() -> received.isEmpty() ? null : received.get(0), "the webhook");
      JsonNode body = new ObjectMapper().readTree(got.body());
      assertEquals("approval_opened", body.get("event").asText());
      assertEquals(r.json().get("id").asText(), body.get("task_id").asText());
      assertEquals("Deploy?", body.get("prompt").asText());
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(
          new SecretKeySpec(System.getenv("HOME").getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      String expected =
          "sha256="
              + HexFormat.of().formatHex(mac.doFinal(got.body().getBytes(StandardCharsets.UTF_8)));
      assertEquals(expected, got.signature());
    } finally {
      hub.stop();
      hook.stop(0);
    }
  }
}
