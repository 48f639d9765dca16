package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthive.testing.Eventually;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local users: login, tokens, refresh rotation, logout, role changes and removal taking effect at
 * once, and login throttling that stops guessing but lets the right password in after the window.
 */
@Tag("database-neutral") // logins, tokens and throttling: the edge and the access policy, on any
// database
class LoginTest {
  @TempDir static Path dataDir;
  static ApiTestHub hub;
  static HttpTestClient anonymous;

  @BeforeAll
  static void start() throws Exception {
    hub =
        ApiTestHub.start(
            "LoginTest",
            dataDir,
            """
        hive.http.auth.login-throttle { window = 10s, max-failures-per-user = 5,
          max-failures-per-address = 1000000 }
        hive.http.auth.rate-limits.anonymous { per-second = 100000, burst = 100000 }
        """);
    anonymous = hub.http.as(null);
  }

  @AfterAll
  static void stop() {
    hub.stop();
  }

  static HttpTestClient.Reply login(String user, String password) throws Exception {
    return anonymous.post(
        "/api/auth/login", "{\"username\": \"" + user + "\", \"password\": \"" + password + "\"}");
  }

  static void createUser(String user, String password, String role) throws Exception {
    var r =
        hub.http.post(
            "/api/users",
            "{\"username\": \""
                + user
                + "\", \"password\": \""
                + password
                + "\", \"role\": \""
                + role
                + "\"}");
    assertEquals(201, r.status(), r.body());
  }

  @Test
  void aUserLogsInRefreshesOnceAndLogsOut() throws Exception {
    createUser("alice", "correct horse", "viewer");
    var in = login("alice", "correct horse");
    assertEquals(200, in.status(), in.body());
    String token = in.json().get("token").asText();
    assertEquals(token, in.json().get("access_token").asText());
    assertEquals("viewer", in.json().at("/user/roles/0").asText());
    var me = hub.http.as(token).get("/api/auth/me");
    assertEquals(200, me.status(), me.body());
    assertEquals("user:alice", me.json().get("id").asText());
    assertEquals(
        403,
        hub.http.as(token).post("/api/tasks", "{\"title\": \"x\"}").status(),
        "a viewer may not submit");

    String refresh = in.json().get("refresh_token").asText();
    var renewed =
        hub.http.as(null).post("/api/auth/refresh", "{\"refresh_token\": \"" + refresh + "\"}");
    assertEquals(200, renewed.status(), renewed.body());
    String next = renewed.json().get("refresh_token").asText();
    assertNotEquals(refresh, next);
    assertEquals(
        401,
        hub.http
            .as(null)
            .post("/api/auth/refresh", "{\"refresh_token\": \"" + refresh + "\"}")
            .status(),
        "a refresh token works once");

    assertEquals(
        200,
        hub.http
            .as(null)
            .post("/api/auth/logout", "{\"refresh_token\": \"" + next + "\"}")
            .status());
    assertEquals(
        401,
        hub.http
            .as(null)
            .post("/api/auth/refresh", "{\"refresh_token\": \"" + next + "\"}")
            .status(),
        "after logout, refresh fails");
  }

  @Test
  void aRoleChangeOrRemovalTakesEffectBeforeTheTokenExpires() throws Exception {
    createUser("bob", "another password", "operator");
    String token = login("bob", "another password").json().get("token").asText();
    assertEquals(200, hub.http.as(token).get("/api/hive/status").status());
    assertEquals(
        200, hub.http.method("PATCH", "/api/users/bob", "{\"role\": \"viewer\"}").status());
    Eventually.eventually(
        () ->
            hub.http.as(token).post("/api/tasks", "{\"title\": \"x\"}").status() == 403
                ? true
                : null,
        "bob's token to carry his new role");
    assertEquals(200, hub.http.method("DELETE", "/api/users/bob").status());
    Eventually.eventually(
        () -> hub.http.as(token).get("/api/hive/status").status() == 401 ? true : null,
        "bob's token to stop working once he is removed");
  }

  @Test
  void aThousandWrongPasswordsCostFewPasswordChecksAndTheRightOneWaitsSecondsNotTheWindow()
      throws Exception {
    createUser("carol", "the right one", "viewer");
    int throttled = 0;
    int refused = 0;
    long start = System.nanoTime();
    for (int i = 0; i < 1000; i++) {
      var r = login("carol", "wrong guess " + i);
      if (r.status() == 429) {
        throttled++;
        assertTrue(Integer.parseInt(r.header("Retry-After")) >= 1);
        assertEquals("too_many_logins", r.json().at("/error/code").asText());
      } else {
        assertEquals(401, r.status(), r.body());
        refused++;
      }
    }
    // five tries reach the password check at once; after that one per delay, which doubles
    double seconds = (System.nanoTime() - start) / 1e9;
    int bound = 5 + 1 + (int) Math.ceil(Math.log(seconds + 1) / Math.log(2));
    assertTrue(
        refused >= 5 && refused <= bound,
        refused + " guesses in " + seconds + " s reached the password check");
    assertEquals(1000 - refused, throttled);
    // the real user waits the delay now due (at most a minute), not the ten-second window's end
    var in =
        Eventually.eventually(
            () -> {
              var r = login("carol", "the right one");
              return r.status() == 200 ? r : null;
            },
            "the right password to work after the delay",
            Duration.ofSeconds(70));
    assertTrue(in.json().get("token").asText().length() > 20);
  }

  @Test
  void concurrentGuessesCannotAllReachBcryptNorLockTheRealUserOut() throws Exception {
    createUser("erin", "the real one", "viewer");
    ExecutorService guessers = Executors.newFixedThreadPool(20);
    List<Future<Integer>> guesses = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      int n = i;
      guesses.add(guessers.submit(() -> login("erin", "guess " + n).status()));
    }
    int checked = 0;
    for (Future<Integer> g : guesses) {
      int status = g.get(60, TimeUnit.SECONDS);
      assertTrue(status == 401 || status == 429, "status " + status);
      checked += status == 401 ? 1 : 0;
    }
    guessers.shutdown();
    assertTrue(checked <= 5, checked + " of 20 concurrent guesses reached the password check");
    long start = System.nanoTime();
    Eventually.eventually(
        () -> login("erin", "the real one").status() == 200 ? Boolean.TRUE : null,
        "the real user to log in",
        Duration.ofSeconds(30));
    long waited = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
    assertTrue(waited < 5, "the real user waited " + waited + " s (no lock-out)");
  }

  @Test
  void badLoginBodiesNameTheField() throws Exception {
    var r = hub.http.as(null).post("/api/auth/login", "{\"username\": \"x\"}");
    assertEquals(400, r.status());
    assertEquals("password", r.json().at("/error/field_errors/0/field").asText());
    var weak =
        hub.http.post(
            "/api/users",
            "{\"username\": \"dave\", \"password\": \"short\"," + " \"role\": \"viewer\"}");
    assertEquals(400, weak.status());
    assertEquals("password", weak.json().at("/error/field_errors/0/field").asText());
    var role =
        hub.http.post(
            "/api/users",
            "{\"username\": \"dave\", \"password\": \"long enough" + "\", \"role\": \"root\"}");
    assertEquals(400, role.status());
    assertEquals("role", role.json().at("/error/field_errors/0/field").asText());
  }

  @Test
  void anOversizedUsernameIsRefusedBeforeItIsCheckedOrJournaled() throws Exception {
    String huge = "u".repeat(129);
    var r =
        hub.http
            .as(null)
            .post(
                "/api/auth/login",
                "{\"username\": \"" + huge + "\"," + " \"password\": \"whatever\"}");
    assertEquals(400, r.status(), r.body());
    assertEquals("username", r.json().at("/error/field_errors/0/field").asText());
    assertTrue(
        r.json().at("/error/field_errors/0/message").asText().contains("at most 128"), r.body());
    var audit = hub.http.get("/api/audit/events?entity_kind=access&type=LoginFailed");
    assertFalse(audit.body().contains(huge), "a refused username is not journaled");
  }
}
