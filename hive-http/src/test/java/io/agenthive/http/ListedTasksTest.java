package io.agenthive.http;

import static io.agenthive.hive.HiveTestKit.agent;
import static io.agenthive.hive.HiveTestKit.cap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.persistence.DatabaseSettings;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The task list answers from each row's stored rendering (written by the read model with the row):
 * on a real hub, the list of tasks of every kind reads byte for byte the same as when every row is
 * rendered from its columns instead, which is what a row written under an older shape gets. Only a
 * task that ended keeps one; a task in flight, or one too large, is rendered from its columns.
 */
class ListedTasksTest {
  static ApiTestHub hub;
  static final String NOBODY = "\"required_capabilities\": [{\"name\": \"listed.nobody\"}]";

  @BeforeAll
  static void start() throws Exception {
    hub = ApiTestHub.start("ListedTasksTest", Files.createTempDirectory("listed-tasks-test"), "");
    agent(hub.hive, "analyst", "text-analysis", cap("analyse", 0.8));
  }

  @AfterAll
  static void stop() {
    hub.stop();
  }

  @Test
  void storedRenderingsReadExactlyAsRenderingsFromTheColumns() throws Exception {
    Map<String, String> expected = new HashMap<>();
    String done =
        submit(
            "{\"title\": \"analysed\", \"input\": {\"text\": \"Listed tasks, \\u00e9t\\u00e9.\","
                + " \"n\": 1.5}, \"required_capabilities\": [{\"name\": \"analyse\"}]}");
    expected.put(done, "completed");
    String pending = submit("{\"title\": \"waits for nobody\", " + NOBODY + "}");
    expected.put(pending, "pending");
    expected.put(
        submit("{\"title\": \"after it\", \"depends_on\": [\"" + pending + "\"], " + NOBODY + "}"),
        "blocked");
    expected.put(
        submit(
            "{\"title\": \"sign-off\", \"kind\": \"approval\", \"approvers\": [\"role:operator\"],"
                + " \"priority\": \"critical\"}"),
        "waiting_for_approval");
    String cancelled = submit("{\"title\": \"called off\", " + NOBODY + "}");
    assertEquals(200, hub.http.post("/api/tasks/" + cancelled + "/cancel", "").status());
    expected.put(cancelled, "cancelled");
    String large =
        submit(
            "{\"title\": \"large\", \"input\": {\"text\": \""
                + "x".repeat(80_000)
                + "\"}, "
                + NOBODY
                + "}");
    assertEquals(200, hub.http.post("/api/tasks/" + large + "/cancel", "").status());
    expected.put(large, "cancelled");

    JsonNode settled =
        hub.http
            .getUntil(
                "/api/tasks?limit=50",
                r -> {
                  Map<String, String> seen = new HashMap<>();
                  r.json().path("items").forEach(t -> seen.put(t.get("id").asText(), status(t)));
                  return seen.equals(expected);
                },
                "every task listed in its settled status")
            .json();
    String stored = hub.http.get("/api/tasks?limit=50").body();
    assertEquals(settled, hub.http.get("/api/tasks?limit=50").json());

    try (Connection c = database().connect();
        Statement st = c.createStatement()) {
      c.setAutoCommit(true); // each change below is seen by the hub at once
      try (ResultSet rs =
          st.executeQuery(
              "SELECT COUNT(*) FROM hive_task_view WHERE listed_json IS NOT NULL"
                  + " AND listed_shape <> 0")) {
        rs.next();
        // ended, so kept: the completed and the cancelled task; the large one is over the limit
        assertEquals(2, rs.getLong(1), "the tasks that ended keep one, all but the large one");
      }
      // the list answers from the stored rendering: a mark put into it is what the list shows
      st.executeUpdate(
          "UPDATE hive_task_view SET listed_json = REPLACE(listed_json, 'called off',"
              + " 'read from its row') WHERE task_id = '"
              + cancelled
              + "'");
      assertTrue(hub.http.get("/api/tasks?limit=50").body().contains("read from its row"));
      // as after an upgrade that changed the shape: every row is rendered from its columns
      st.executeUpdate("UPDATE hive_task_view SET listed_shape = 0");
    }
    String fromColumns = hub.http.get("/api/tasks?limit=50").body();
    assertTrue(!fromColumns.contains("read from its row"), "a row of another shape is not used");
    assertSameText(stored, fromColumns);
    assertTrue(stored.contains("\"n\":1.5") && stored.contains("été"), "the input as sent");
  }

  /** Equal texts, or where they first differ (the large task makes the whole too long to show). */
  private static void assertSameText(String expected, String actual) {
    int at = 0;
    while (at < Math.min(expected.length(), actual.length())
        && expected.charAt(at) == actual.charAt(at)) {
      at++;
    }
    if (at < expected.length() || at < actual.length()) {
      int from = Math.max(0, at - 200);
      throw new AssertionError(
          "the lists differ at character "
              + at
              + ": stored ..."
              + expected.substring(from, Math.min(expected.length(), at + 200))
              + "... from the columns ..."
              + actual.substring(from, Math.min(actual.length(), at + 200))
              + "...");
    }
  }

  private static String status(JsonNode task) {
    return task.get("status").asText();
  }

  private static String submit(String body) throws Exception {
    var r = hub.http.post("/api/tasks", body);
    assertEquals(201, r.status(), r.body());
    return r.json().get("id").asText();
  }

  private static DatabaseSettings database() {
    return DatabaseSettings.from(hub.kit.system().settings().config());
  }
}
