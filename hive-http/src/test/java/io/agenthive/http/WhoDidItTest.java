package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.persistence.DatabaseSettings;
import io.agenthive.security.Secrets;
import io.agenthive.testing.Eventually;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Who did it: each task's history names who submitted, cancelled and retried it. And what never
 * leaks: after keys, users, logins and refreshes, no key, password or token (nor a key's hash) is
 * in the log, the journal's rows, error bodies or the audit export.
 */
class WhoDidItTest {
  @TempDir static Path dataDir;
  static ApiTestHub hub;
  static final ListAppender<ILoggingEvent> log = new ListAppender<>();

  @BeforeAll
  static void start() throws Exception {
    log.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(log);
    hub = ApiTestHub.start("WhoDidItTest", dataDir, "");
  }

  @AfterAll
  static void stop() {
    hub.stop();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(log);
  }

  static JsonNode events(String taskId) throws Exception {
    return hub.http.get("/api/tasks/" + taskId + "/history").json().get("events");
  }

  static String by(JsonNode events, String type) {
    for (JsonNode e : events) {
      if (e.get("type").asText().equals(type)) {
        return e.at("/payload/by").asText();
      }
    }
    return null;
  }

  @Test
  void historyAndAuditNameWhoSubmittedCancelledAndRetried() throws Exception {
    var op = hub.http.post("/api/keys", "{\"name\": \"ops-bot\", \"role\": \"operator\"}").json();
    String opKey = op.get("key").asText();
    String opId = op.get("id").asText();
    assertEquals(
        201,
        hub.http
            .post(
                "/api/users",
                "{\"username\": \"erin\", \"password\":"
                    + " \"erin's long password\", \"role\": \"operator\"}")
            .status());
    String erin =
        hub.http
            .as(null)
            .post(
                "/api/auth/login",
                "{\"username\": \"erin\"," + " \"password\": \"erin's long password\"}")
            .json()
            .get("token")
            .asText();

    // nobody can run it: it waits until erin cancels it
    String waiting =
        hub.http
            .as(opKey)
            .post(
                "/api/tasks",
                "{\"title\": \"waits\","
                    + " \"required_capabilities\": [{\"name\": \"nobody-has-this\"}]}")
            .json()
            .get("id")
            .asText();
    assertEquals(200, hub.http.as(erin).post("/api/tasks/" + waiting + "/cancel", "").status());
    JsonNode history =
        Eventually.eventually(
            () -> {
              JsonNode e = events(waiting);
              return by(e, "TaskCancelled") != null ? e : null;
            },
            "the cancel in the task's history");
    assertEquals("key:" + opId, by(history, "TaskSubmitted"));
    assertEquals("user:erin", by(history, "TaskCancelled"));

    // an agent whose endpoint refuses every call: the task fails, then the admin retries it
    assertEquals(
        201,
        hub.http
            .post(
                "/api/agents",
                "{\"name\": \"broken\", \"type\": \"worker\","
                    + " \"skill\": {\"name\": \"http\", \"config\": {\"url\": \"http://127.0.0.1:9/x\"}},"
                    + " \"capabilities\": [{\"name\": \"who.fails\", \"proficiency\": 0.9}]}")
            .status());
    String failing =
        hub.http
            .as(opKey)
            .post(
                "/api/tasks",
                "{\"title\": \"fails\","
                    + " \"max_attempts\": 1, \"required_capabilities\": [{\"name\": \"who.fails\"}]}")
            .json()
            .get("id")
            .asText();
    hub.http.getUntil(
        "/api/tasks/" + failing,
        r -> r.json().path("status").asText().equals("failed"),
        "the task to fail");
    assertEquals(200, hub.http.post("/api/tasks/" + failing + "/retry", "").status());
    JsonNode retried =
        Eventually.eventually(
            () -> {
              JsonNode e = events(failing);
              return by(e, "TaskRetryRequested") != null ? e : null;
            },
            "the retry in the task's history");
    String adminId = hub.adminKey.substring(3, 15);
    assertEquals("key:" + adminId, by(retried, "TaskRetryRequested"));

    String audit = hub.http.get("/api/audit/events?entity_kind=task").body();
    assertTrue(audit.contains("\"by\":\"user:erin\""), "the audit stream names erin");
  }

  @Test
  void secretsAppearNowhere() throws Exception {
    List<String> secrets = new ArrayList<>();
    secrets.add(hub.adminKey);
    var key =
        hub.http
            .post("/api/keys", "{\"name\": \"leak-check\", \"role\": \"viewer\"}")
            .json()
            .get("key")
            .asText();
    secrets.add(key);
    String password = "frank's very secret password";
    secrets.add(password);
    assertEquals(
        201,
        hub.http
            .post(
                "/api/users",
                "{\"username\": \"frank\", \"password\": \""
                    + password
                    + "\", \"role\": \"viewer\"}")
            .status());
    var tokens =
        hub.http
            .as(null)
            .post(
                "/api/auth/login",
                "{\"username\": \"frank\"," + " \"password\": \"" + password + "\"}")
            .json();
    secrets.add(tokens.get("token").asText());
    secrets.add(tokens.get("refresh_token").asText());
    var renewed =
        hub.http
            .as(null)
            .post(
                "/api/auth/refresh",
                "{\"refresh_token\": \"" + tokens.get("refresh_token").asText() + "\"}")
            .json();
    secrets.add(renewed.get("refresh_token").asText());
    // the secret parts alone; the hashes the journal keeps must not be shown either
    List<String> hashes = new ArrayList<>();
    for (String k : List.of(hub.adminKey, key)) {
      String secret = Secrets.parse(Secrets.KEY_PREFIX, k).orElseThrow().secret();
      secrets.add(secret);
      hashes.add(Secrets.sha256(secret));
    }

    List<String> errorBodies = new ArrayList<>();
    errorBodies.add(
        hub.http.as(key.substring(0, key.length() - 2) + "xx").get("/api/agents").body());
    errorBodies.add(
        hub.http
            .as(null)
            .post(
                "/api/auth/login",
                "{\"username\": \"frank\"," + " \"password\": \"" + password + "!\"}")
            .body());
    errorBodies.add(
        hub.http.as(key).post("/api/keys", "{\"name\": \"x\", \"role\": \"admin\"}").body());
    errorBodies.add(
        hub.http
            .as(null)
            .post(
                "/api/auth/refresh",
                "{\"refresh_token\": \"" + tokens.get("refresh_token").asText() + "\"}")
            .body());
    // malformed JSON around a secret: the parser's reason would quote it
    String unquoted = "UnquotedSecret" + System.nanoTime();
    secrets.add(unquoted);
    errorBodies.add(
        hub.http
            .as(null)
            .post(
                "/api/auth/login", "{\"username\": \"frank\"," + " \"password\": " + unquoted + "}")
            .body());
    String export = hub.http.get("/api/audit/events").body();
    assertTrue(
        export.contains("KeyCreated") && export.contains("UserCreated"),
        "the export has the access events, redacted");

    StringBuilder logged = new StringBuilder();
    for (ILoggingEvent e : log.list) {
      logged.append(e.getFormattedMessage()).append('\n');
      if (e.getThrowableProxy() != null) {
        logged.append(e.getThrowableProxy().getMessage()).append('\n');
      }
    }
    String journal = journalRows();
    for (String secret : secrets) {
      String shown = secret.substring(0, Math.min(8, secret.length())) + "...";
      assertFalse(logged.toString().contains(secret), "in the log: " + shown);
      assertFalse(journal.contains(secret), "in the journal: " + shown);
      assertFalse(export.contains(secret), "in the export: " + shown);
      for (String body : errorBodies) {
        assertFalse(body.contains(secret), "in an error body: " + shown);
      }
    }
    for (String hash : hashes) {
      assertTrue(journal.contains(hash), "the journal keeps the key's hash, to check it");
      assertFalse(export.contains(hash), "a key's hash is in the export");
      assertFalse(logged.toString().contains(hash), "a key's hash is in the log");
    }
    assertFalse(export.contains("$2y$"), "a password hash is in the export");
  }

  /** Every column of every journal and snapshot row, as text (bytes read as ISO-8859-1). */
  static String journalRows() throws Exception {
    DatabaseSettings db = DatabaseSettings.from(hub.kit.system().settings().config());
    StringBuilder all = new StringBuilder();
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password())) {
      for (String table : List.of("event_journal", "event_tag", "snapshot")) {
        try (ResultSet rs = c.createStatement().executeQuery("SELECT * FROM \"" + table + "\"")) {
          int columns = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            for (int i = 1; i <= columns; i++) {
              Object value = rs.getObject(i);
              all.append(
                      value instanceof byte[] bytes
                          ? new String(bytes, StandardCharsets.ISO_8859_1)
                          : String.valueOf(value))
                  .append('\n');
            }
          }
        }
      }
    }
    assertTrue(all.length() > 0, "the journal was read");
    return all.toString();
  }
}
