package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.*;

import io.agenthive.testing.Eventually;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Access events (keys, users, logins) are an admin's to read, on every feed the hub has: the event
 * stream, the dashboard socket, the audit trail and MCP's tools and resources. Each feed is read
 * here as a viewer, an operator and an admin, after a key named {@link #MARK} was made and a login
 * was tried with a password typed into the username field. (Export reads the database itself and is
 * a command on the hub's machine, not a feed anyone reaches over the network.)
 */
class AccessEventFeedsTest {
  static final String MARK = "feeds-marked-key";
  static final String TYPED_PASSWORD = "hunter2-typed-as-a-username";
  @TempDir static Path dataDir;
  static ApiTestHub hub;
  static Map<String, HttpTestClient> byRole;

  @BeforeAll
  static void start() throws Exception {
    hub = ApiTestHub.start("AccessEventFeedsTest", dataDir, "");
    byRole =
        Map.of(
            "viewer", hub.http.as(key("feeds-viewer", "viewer")),
            "operator", hub.http.as(key("feeds-operator", "operator")),
            "admin", hub.http.as(key("feeds-admin", "admin")));
    key(MARK, "operator");
    var login =
        hub.http.post(
            "/api/auth/login",
            "{\"username\": \"" + TYPED_PASSWORD + "\", \"password\": \"wrong-password\"}");
    assertEquals(401, login.status(), login.body());
  }

  @AfterAll
  static void stop() {
    hub.stop();
  }

  static String key(String name, String role) throws Exception {
    var made =
        hub.http.post("/api/keys", "{\"name\": \"" + name + "\", \"role\": \"" + role + "\"}");
    assertEquals(201, made.status(), made.body());
    return made.json().get("key").asText();
  }

  static boolean admin(String role) {
    return role.equals("admin");
  }

  /** Nothing of an access event: the key's name, the kind, the typed password. */
  static void assertNoAccessEvent(String role, String feed, String text) {
    assertFalse(text.contains(MARK), role + " read the key's name on " + feed + ": " + text);
    assertFalse(text.contains("\"entity_kind\":\"access\""), role + " on " + feed + ": " + text);
    assertFalse(text.contains(TYPED_PASSWORD), role + " on " + feed + ": " + text);
  }

  @Test
  void theEventStreamShowsAccessEventsToAdminsOnly() throws Exception {
    for (var entry : byRole.entrySet()) {
      String role = entry.getKey();
      HttpTestClient client = entry.getValue();
      String feed = client.sse("/api/events?since=0", Duration.ofSeconds(2));
      if (admin(role)) {
        assertTrue(feed.contains(MARK), "an admin reads the key's creation: " + feed);
        assertFalse(feed.contains(TYPED_PASSWORD), "an unknown username is kept as a digest");
        String byKind = client.sse("/api/events?since=0&entity_kind=access", Duration.ofSeconds(2));
        assertTrue(byKind.contains(MARK), byKind);
      } else {
        // refused at once (a stream would not end: only the refusal is read whole)
        var byKind = client.get("/api/events?entity_kind=access");
        assertNoAccessEvent(role, "/api/events", feed);
        assertEquals(403, byKind.status(), role + ": " + byKind.body());
      }
    }
  }

  @Test
  void theAuditTrailAndTimeTravelAreAnAdminsOnly() throws Exception {
    for (var entry : byRole.entrySet()) {
      String role = entry.getKey();
      var audit = entry.getValue().get("/api/audit/events?entity_kind=access");
      var state = entry.getValue().get("/api/hive/state?at=" + java.time.Instant.now());
      if (admin(role)) {
        assertEquals(200, audit.status(), audit.body());
        assertTrue(audit.body().contains(MARK), audit.body());
        assertFalse(audit.body().contains(TYPED_PASSWORD), audit.body());
        assertEquals(200, state.status(), state.body());
      } else {
        assertEquals(403, audit.status(), role + ": " + audit.body());
        assertEquals(403, state.status(), role + ": " + state.body());
        assertNoAccessEvent(role, "/api/audit/events", audit.body());
      }
    }
  }

  @Test
  void mcpToolsAndResourcesShowAccessEventsToAdminsOnly() throws Exception {
    for (var entry : byRole.entrySet()) {
      String role = entry.getKey();
      HttpTestClient client = entry.getValue();
      var audit =
          client.post(
              "/api/mcp",
              "{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"tools/call\", \"params\": {\"name\":"
                  + " \"audit_events\", \"arguments\": {\"entity_kind\": \"access\", \"limit\":"
                  + " 1000}}}");
      assertEquals(200, audit.status(), audit.body());
      var resources =
          client.post(
              "/api/mcp",
              "{\"jsonrpc\": \"2.0\", \"id\": 2, \"method\": \"resources/read\", \"params\":"
                  + " {\"uri\": \"hive://status\"}}");
      assertEquals(200, resources.status(), resources.body());
      assertNoAccessEvent(role, "MCP resource hive://status", resources.body());
      if (admin(role)) {
        assertFalse(audit.json().at("/result/isError").asBoolean(), audit.body());
        assertTrue(audit.body().contains(MARK), audit.body());
      } else {
        assertTrue(audit.json().at("/result/isError").asBoolean(), role + ": " + audit.body());
        assertNoAccessEvent(role, "MCP audit_events", audit.body());
      }
    }
  }

  /**
   * The dashboard socket carries agents, tasks and status, never access events: a key made while a
   * viewer's socket is open shows nowhere in what the socket sends before the agent made after it.
   */
  @Test
  void theDashboardSocketCarriesNoAccessEvents() throws Exception {
    for (String role : List.of("viewer", "operator", "admin")) {
      String credential = byRole.get(role).credential;
      Socket socket = new Socket(credential);
      try {
        Eventually.eventually(
            () -> socket.received.stream().anyMatch(m -> m.contains("hive_status")) ? true : null,
            role + "'s first status");
        String keyName = "feeds-ws-key-" + role;
        key(keyName, "viewer");
        var agent =
            hub.http.post(
                "/api/agents", "{\"name\": \"feeds-ws-" + role + "\", \"type\": \"worker\"}");
        assertEquals(201, agent.status(), agent.body());
        Eventually.eventually(
            () -> socket.text().contains("feeds-ws-" + role + "\"") ? true : null,
            "the agent made after the key, on " + role + "'s socket");
        assertFalse(socket.text().contains(keyName), socket.text());
        assertNoAccessEvent(role, "/ws", socket.text());
      } finally {
        socket.ws.abort();
      }
    }
  }

  /** A real WebSocket client on {@code /ws}, opened as the dashboard's own page opens it. */
  static final class Socket implements WebSocket.Listener {
    final List<String> received = new CopyOnWriteArrayList<>();
    final StringBuilder partial = new StringBuilder();
    final WebSocket ws;

    Socket(String credential) throws Exception {
      int port = URI.create(hub.http.base()).getPort();
      ws =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .header("Authorization", "Bearer " + credential)
              .header("Origin", "http://127.0.0.1:" + port)
              .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), this)
              .get(10, TimeUnit.SECONDS);
    }

    String text() {
      return String.join("\n", received);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        received.add(partial.toString());
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }
  }
}
