package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MCP sessions were not bound to who opened them (issue item 8): a viewer used and deleted an
 * admin's session, and 1,293 sessions opened by one viewer evicted everyone else's. Now a session
 * is its opener's alone (anyone else gets the 404 of an unknown session), and a principal past its
 * cap (3 here) loses its own oldest sessions, never another's.
 */
@Tag("database-neutral") // MCP sessions live in the node's memory: the same on every database
class McpSessionOwnershipTest {
  static final int CAP = 3;
  static final String TOOLS_LIST = "{\"jsonrpc\": \"2.0\", \"id\": 2, \"method\": \"tools/list\"}";
  static final String INITIALIZED =
      "{\"jsonrpc\": \"2.0\", \"method\": \"notifications/initialized\"}";
  @TempDir static Path dataDir;
  static ApiTestHub hub;
  static HttpTestClient admin;
  static HttpTestClient otherAdmin;
  static HttpTestClient viewer;

  @BeforeAll
  static void start() throws Exception {
    hub =
        ApiTestHub.start(
            "McpSessionOwnershipTest",
            dataDir,
            "hive.mcp.max-sessions-per-principal = "
                + CAP
                // the flood below is 1,300 requests: not what the rate limit is tested for here
                + "\nhive.http.auth.rate-limits.viewer { per-second = 5000, burst = 10000 }");
    admin = hub.http;
    otherAdmin = hub.http.as(key("admin"));
    viewer = hub.http.as(key("viewer"));
  }

  @AfterAll
  static void stop() {
    hub.stop();
  }

  static String key(String role) throws Exception {
    var made =
        hub.http.post("/api/keys", "{\"name\": \"mcp-" + role + "\", \"role\": \"" + role + "\"}");
    assertEquals(201, made.status(), made.body());
    return made.json().get("key").asText();
  }

  /** Opens a session as {@code client}; its id. */
  static String open(HttpTestClient client) throws Exception {
    var r =
        client.post(
            "/mcp",
            "{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"initialize\", \"params\": {"
                + "\"protocolVersion\": \"2025-03-26\", \"capabilities\": {},"
                + " \"clientInfo\": {\"name\": \"ownership-test\", \"version\": \"1\"}}}",
            "Accept",
            "application/json, text/event-stream");
    assertEquals(200, r.status(), r.body());
    String id = r.header("Mcp-Session-Id");
    assertNotNull(id);
    return id;
  }

  static HttpTestClient.Reply in(HttpTestClient client, String session, String message)
      throws Exception {
    return client.post(
        "/mcp",
        message,
        "Mcp-Session-Id",
        session,
        "Accept",
        "application/json, text/event-stream");
  }

  static void assertUnknown(HttpTestClient.Reply r) {
    assertEquals(404, r.status(), r.body());
    assertTrue(r.body().contains("unknown or expired MCP session"), r.body());
  }

  @Test
  void aSessionIsItsOpenersAlone() throws Exception {
    String session = open(admin);
    assertEquals(202, in(admin, session, INITIALIZED).status());
    for (HttpTestClient intruder : List.of(viewer, otherAdmin)) {
      assertUnknown(in(intruder, session, TOOLS_LIST));
      assertUnknown(in(intruder, session, INITIALIZED));
      assertUnknown(
          intruder.send(
              java.net.http.HttpRequest.newBuilder(java.net.URI.create(hub.http.base() + "/mcp"))
                  .header("Mcp-Session-Id", session)
                  .header("Accept", "text/event-stream")
                  .GET()));
      var deleted = deleteAs(intruder, session);
      assertEquals(404, deleted.status(), deleted.body());
    }
    var listed = in(admin, session, TOOLS_LIST);
    assertEquals(200, listed.status(), listed.body());
    assertTrue(listed.body().contains("submit_task"), listed.body());
    assertEquals(200, deleteAs(admin, session).status());
    assertUnknown(in(admin, session, INITIALIZED));
  }

  @Test
  void aPrincipalPastItsCapLosesOnlyItsOwnOldestSessions() throws Exception {
    String admins = open(admin);
    List<String> viewers = new ArrayList<>();
    for (int i = 0; i < CAP + 2; i++) {
      viewers.add(open(viewer));
    }
    for (int i = 0; i < viewers.size(); i++) {
      var r = in(viewer, viewers.get(i), INITIALIZED);
      if (i < 2) {
        assertUnknown(r); // the two oldest made room for the newest
      } else {
        assertEquals(202, r.status(), "session " + i + ": " + r.body());
      }
    }
    // the pen test's flood: far past the node's total of 1,000
    for (int i = 0; i < 1_300; i++) {
      open(viewer);
    }
    assertEquals(202, in(admin, admins, INITIALIZED).status(), "the admin's session lives on");
    var listed = in(admin, admins, TOOLS_LIST);
    assertEquals(200, listed.status(), listed.body());
    for (String old : viewers) {
      assertUnknown(in(viewer, old, INITIALIZED));
    }
  }

  private static HttpTestClient.Reply deleteAs(HttpTestClient client, String session)
      throws Exception {
    return client.send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(client.base() + "/mcp"))
            .header("Mcp-Session-Id", session)
            .DELETE());
  }
}
