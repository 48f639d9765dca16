package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.referenceworker.ReferenceWorker;
import io.agenthive.skill.AbusiveEndpoint;
import io.agenthive.testing.Eventually;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attacks of the penetration test that concern who may act as whom, performed against a real
 * hub on a real port (numbers as in docs/security.md's threat model): each is refused, with what a
 * legitimate caller needs to hear. This hub allows no internal address for skills, as a production
 * hub does.
 */
@Tag("database-neutral") // who may act as whom: the edge and the access policy, on any database
class HostileCallersTest {
  @TempDir static Path dataDir;
  static ApiTestHub hub;

  @BeforeAll
  static void start() throws Exception {
    hub =
        ApiTestHub.start(
            "HostileCallersTest",
            dataDir,
            """
            hive.skills.egress-allow = ""
            hive.http.workers { heartbeat-interval = 300ms, heartbeat-timeout = 6s }
            """);
  }

  @AfterAll
  static void stop() {
    hub.stop();
  }

  static String key(String name, String role) throws Exception {
    var r = hub.http.post("/api/keys", "{\"name\": \"" + name + "\", \"role\": \"" + role + "\"}");
    assertEquals(201, r.status(), r.body());
    return r.json().path("key").asText();
  }

  static ReferenceWorker worker(String key, String name, String agentId) {
    return ReferenceWorker.connect(
        new ReferenceWorker.Options(
            "ws://127.0.0.1:" + hub.http.port + "/ws/worker",
            key,
            name,
            agentId,
            List.of("hostile.work=0.8"),
            20));
  }

  static String errorFrame(ReferenceWorker w) {
    return Eventually.eventually(
        () ->
            w.received().stream()
                .filter(f -> f.path("type").asText().equals("error"))
                .map(f -> f.path("message").asText())
                .findFirst()
                .orElse(null),
        "an error frame");
  }

  /** 1. Another worker credential cannot resume (take over) an agent it did not register. */
  @Test
  void aWorkerCannotTakeOverAnotherWorkersAgent() throws Exception {
    String keyA = key("worker-a", "worker");
    String keyB = key("worker-b", "worker");
    try (ReferenceWorker a = worker(keyA, "a", null)) {
      String agentId = a.agentId();
      try (ReferenceWorker b = worker(keyB, "b", agentId)) {
        String why = errorFrame(b);
        assertTrue(why.contains("was registered by another credential"), why);
      }
      // nor may the same credential open a second socket while the first one holds the agent,
      // and each one refused is told why before it is closed (the hub once closed some silently)
      for (int i = 0; i < 20; i++) {
        try (ReferenceWorker again = worker(keyA, "a-twice", agentId)) {
          assertTrue(again.closedByHub().get(10, java.util.concurrent.TimeUnit.SECONDS) == null);
          String why = errorFrame(again);
          assertTrue(why.contains("is held by another connection"), why);
        }
      }
      // the rightful worker still gets the work
      String task =
          hub.http
              .post(
                  "/api/tasks",
                  "{\"title\": \"mine\", \"required_capabilities\": [{\"name\":"
                      + " \"hostile.work\"}]}")
              .json()
              .path("id")
              .asText();
      hub.http.getUntil(
          "/api/tasks/" + task,
          r -> r.json().path("status").asText().equals("completed"),
          "the task completed by worker a");
      assertEquals(
          "a", hub.http.get("/api/tasks/" + task).json().at("/result/output/worker").asText());
    }
  }

  /** 2. Skills cannot read host secrets or reach internal addresses. */
  @Test
  void skillsCannotReadHostSecretsOrReachInternalAddresses() throws Exception {
    var secret =
        hub.http.post(
            "/api/agents",
            agent(
                "{\"url\": \"https://example.com/hook\", \"headers_from_env\": {\"Authorization\":"
                    + " \"HIVE_DB_PASSWORD\"}}"));
    assertEquals(400, secret.status(), secret.body());
    assertEquals(
        "skill.config.headers_from_env.Authorization",
        secret.json().at("/error/field_errors/0/field").asText(),
        secret.body());
    var plain =
        hub.http.post(
            "/api/agents",
            agent("{\"url\": \"https://example.com/hook\", \"headers\": {\"X-Key\": \"s3cret\"}}"));
    assertEquals(400, plain.status(), plain.body());
    assertTrue(plain.body().contains("skill.config.headers"), plain.body());
    var metadata =
        hub.http.post("/api/agents", agent("{\"url\": \"http://169.254.169.254/latest/\"}"));
    assertEquals(400, metadata.status(), metadata.body());
    assertTrue(metadata.body().contains("link-local"), metadata.body());

    try (AbusiveEndpoint internal = new AbusiveEndpoint()) {
      // a name that resolves to loopback passes registration and is refused when it is called
      String url = internal.url("/ok").replace("127.0.0.1", "localhost");
      var registered = hub.http.post("/api/agents", agent("{\"url\": \"" + url + "\"}", "ssrf"));
      assertEquals(201, registered.status(), registered.body());
      String task =
          hub.http
              .post(
                  "/api/tasks",
                  "{\"title\": \"probe\", \"max_attempts\": 1, \"required_capabilities\":"
                      + " [{\"name\": \"ssrf\"}]}")
              .json()
              .path("id")
              .asText();
      JsonNode failed =
          hub.http
              .getUntil(
                  "/api/tasks/" + task,
                  r -> r.json().path("status").asText().equals("failed"),
                  "the probe refused")
              .json();
      assertTrue(
          failed.at("/result/error").asText().startsWith("egress_denied: localhost resolves to"),
          failed.toString());
      assertEquals(0, internal.sent(), "the internal endpoint was never called");
    }
  }

  private static String agent(String config) {
    return agent(config, "egress");
  }

  private static String agent(String config, String capability) {
    return "{\"name\": \""
        + capability
        + "\", \"type\": \"worker\", \"skill\": {\"name\": \"http\", \"config\": "
        + config
        + "}, \"capabilities\": [{\"name\": \""
        + capability
        + "\", \"proficiency\": 0.9}]}";
  }

  /** 3. A viewer reads no access events (keys, users, failed logins) on the event feed. */
  @Test
  void aViewerReadsNoAccessEvents() throws Exception {
    String viewer = key("feed-viewer", "viewer");
    key("made-for-the-feed", "operator"); // an access event after the viewer's own key
    var asViewer = hub.http.as(viewer);
    var byKind = asViewer.get("/api/events?entity_kind=access");
    assertEquals(403, byKind.status(), byKind.body());
    String feed = asViewer.sse("/api/events?since=0", Duration.ofSeconds(3));
    assertFalse(feed.contains("\"entity_kind\":\"access\""), feed);
    String operatorFeed =
        hub.http
            .as(key("feed-operator", "operator"))
            .sse("/api/events?since=0", Duration.ofSeconds(3));
    assertFalse(operatorFeed.contains("\"entity_kind\":\"access\""), operatorFeed);
    // the audit stream and time travel are an admin's (and so is export: the database itself)
    assertEquals(403, asViewer.get("/api/audit/events?entity_kind=access").status());
    String adminFeed = hub.http.sse("/api/events?since=0", Duration.ofSeconds(3));
    assertTrue(adminFeed.contains("made-for-the-feed"), "an admin still reads them");
    assertFalse(adminFeed.contains("token_id\":\"r"), "no refresh token ids, even for an admin");
  }

  /** 4. Logging out needs the refresh token's secret, not only its id. */
  @Test
  void nobodyLogsAnotherOutWithATokenId() throws Exception {
    hub.http.post(
        "/api/users",
        "{\"username\": \"frank\", \"password\": \"frank's password\", \"role\": \"viewer\"}");
    var in =
        hub.http
            .as(null)
            .post(
                "/api/auth/login", "{\"username\": \"frank\", \"password\": \"frank's password\"}");
    String refresh = in.json().path("refresh_token").asText();
    String forged = refresh.substring(0, refresh.lastIndexOf('.') + 1) + "not-the-secret";
    var out = hub.http.as(null).post("/api/auth/logout", "{\"refresh_token\": \"" + forged + "\"}");
    assertEquals(200, out.status(), out.body());
    var still =
        hub.http.as(null).post("/api/auth/refresh", "{\"refresh_token\": \"" + refresh + "\"}");
    assertEquals(200, still.status(), "the session survived a logout without its secret");
  }

  /**
   * 5. A password change ends every session of the user, and a reused (stolen) refresh token ends
   * its whole chain.
   */
  @Test
  void aPasswordChangeOrAReusedRefreshTokenEndsTheSessions() throws Exception {
    hub.http.post(
        "/api/users",
        "{\"username\": \"gina\", \"password\": \"gina's password\", \"role\": \"viewer\"}");
    String first = login("gina", "gina's password");
    String second = refresh(first);
    assertNotNull(second, "rotation works");
    assertNull(refresh(first), "a used token is refused");
    assertNull(refresh(second), "and its reuse ended the chain it belongs to");

    String session = login("gina", "gina's password");
    var changed = hub.http.patch("/api/users/gina", "{\"password\": \"a brand new password\"}");
    assertEquals(200, changed.status(), changed.body());
    assertNull(refresh(session), "a password change ends the sessions");
  }

  private static String login(String user, String password) throws Exception {
    return hub.http
        .as(null)
        .post(
            "/api/auth/login",
            "{\"username\": \"" + user + "\", \"password\": \"" + password + "\"}")
        .json()
        .path("refresh_token")
        .asText();
  }

  private static String refresh(String token) throws Exception {
    var r = hub.http.as(null).post("/api/auth/refresh", "{\"refresh_token\": \"" + token + "\"}");
    return r.status() == 200 ? r.json().path("refresh_token").asText() : null;
  }

  /** 12. An Idempotency-Key names one principal's task only. */
  @Test
  void anotherPrincipalsIdempotencyKeyIsNotMine() throws Exception {
    var mine =
        hub.http.post("/api/tasks", "{\"title\": \"mine\"}", "Idempotency-Key", "shared-key");
    var theirs =
        hub.http
            .as(key("other-operator", "operator"))
            .post("/api/tasks", "{\"title\": \"theirs\"}", "Idempotency-Key", "shared-key");
    assertEquals(201, theirs.status(), theirs.body());
    assertNotEquals(mine.json().path("id").asText(), theirs.json().path("id").asText());
    assertEquals("theirs", theirs.json().path("title").asText());
  }
}
