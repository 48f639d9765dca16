package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agenthive.skill.AbusiveEndpoint;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An output larger than {@code hive.limits.inline-output} is kept beside its event in the hub's
 * database: the task says where ({@code result.output_stored}) and {@code GET /result} streams it
 * back with its size and SHA-256; a small output is served from the event; no output is a 404.
 */
class StoredOutputTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dataDir;
  static ApiTestHub hub;
  static AbusiveEndpoint endpoint;

  @BeforeAll
  static void start() throws Exception {
    hub = ApiTestHub.start("StoredOutputTest", dataDir, "");
    endpoint = new AbusiveEndpoint();
  }

  @AfterAll
  static void stop() {
    endpoint.close();
    hub.stop();
  }

  static String run(String capability, String path) throws Exception {
    var agent =
        hub.http.post(
            "/api/agents",
            "{\"name\": \""
                + capability
                + "\", \"type\": \"worker\", \"skill\": {\"name\": \"http\", \"config\": {\"url\":"
                + " \""
                + endpoint.url(path)
                + "\"}}, \"capabilities\": [{\"name\": \""
                + capability
                + "\", \"proficiency\": 0.9}]}");
    assertEquals(201, agent.status(), agent.body());
    var task =
        hub.http.post(
            "/api/tasks",
            "{\"title\": \"t\", \"max_attempts\": 1, \"required_capabilities\": [{\"name\": \""
                + capability
                + "\", \"minimum_proficiency\": 0.5}]}");
    assertEquals(201, task.status(), task.body());
    String id = task.json().path("id").asText();
    hub.http.getUntil(
        "/api/tasks/" + id,
        r -> r.json().path("status").asText().equals("completed"),
        "task " + id + " completed");
    return id;
  }

  @Test
  void aLargeOutputIsStoredBesideItsEventAndStreamedBack() throws Exception {
    String id = run("large", "/json/1048576");
    JsonNode result = hub.http.get("/api/tasks/" + id).json().path("result");
    assertTrue(result.path("output").isNull(), result.toString());
    JsonNode stored = result.path("output_stored");
    long size = stored.path("size").asLong();
    assertTrue(size > 1_000_000, "the output as the hub wrote it: " + result);
    assertEquals("/api/tasks/" + id + "/result", stored.path("url").asText());

    HttpResponse<byte[]> r =
        HttpClient.newHttpClient()
            .send(
                hub.http
                    .authorized(
                        HttpRequest.newBuilder(
                            URI.create(hub.http.base() + "/api/tasks/" + id + "/result")))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode());
    assertEquals(size, r.body().length);
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(r.body()));
    assertEquals(stored.path("sha256").asText(), sha);
    assertEquals(sha, r.headers().firstValue("X-Output-SHA256").orElse(null));
    assertEquals(1048576 - 13, JSON.readTree(r.body()).path("data").asText().length());
  }

  @Test
  void aSmallOutputIsServedFromItsEventAndNoOutputIsA404() throws Exception {
    String id = run("small", "/ok");
    var r = hub.http.get("/api/tasks/" + id + "/result");
    assertEquals(200, r.status());
    assertTrue(r.json().path("ok").asBoolean(), r.body());
    String waiting =
        hub.http
            .post(
                "/api/tasks",
                "{\"title\": \"w\", \"required_capabilities\": [{\"name\":" + " \"nobody\"}]}")
            .json()
            .path("id")
            .asText();
    var none = hub.http.get("/api/tasks/" + waiting + "/result");
    assertEquals(404, none.status(), none.body());
    // and the task says why it waits: nobody has its capability
    hub.http.getUntil(
        "/api/tasks/" + waiting,
        t -> t.json().path("waiting_reason").asText().equals("no_agent_qualifies"),
        "waiting_reason no_agent_qualifies");
  }
}
