package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.access.Role;
import io.agenthive.security.AccessPolicy;
import io.agenthive.testing.Eventually;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every operation of {@code /api/openapi.json} (so the test cannot fall behind the routes), called
 * without credentials, with bad ones, and with a key of each role: 401, or allowed or 403 exactly
 * as the role table of docs/security.md says. WebSockets are upgraded for real.
 */
@Tag(
    "database-neutral") // who may call which route: the edge and the access policy, on any database
class AccessMatrixTest {
  @TempDir static Path dataDir;
  static ApiTestHub hub;
  static JsonNode doc;
  static final Map<Role, String> KEYS = new EnumMap<>(Role.class);
  static final Map<Role, HttpTestClient> CLIENTS = new EnumMap<>(Role.class);

  /** "METHOD /template" → least role, or null for open; read from docs/security.md. */
  static final Map<String, Role> ROLE_TABLE = new LinkedHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    // every operation is called without and with bad credentials, hundreds of 401s from one
    // address: more than its bucket allows (CredentialFloodTest tests that limit)
    hub =
        ApiTestHub.start(
            "AccessMatrixTest",
            dataDir,
            "hive.http.auth.rate-limits.anonymous { per-second = 10000, burst = 10000 }");
    doc = hub.http.get("/api/openapi.json").json();
    for (Role role : Role.values()) {
      var r =
          hub.http.post(
              "/api/keys",
              "{\"name\": \"matrix-" + role.label() + "\", \"role\": \"" + role.label() + "\"}");
      assertEquals(201, r.status(), r.body());
      KEYS.put(role, r.json().get("key").asText());
      CLIENTS.put(role, hub.http.as(KEYS.get(role)));
    }
    Pattern row = Pattern.compile("^\\| `(GET|POST|PUT|PATCH|DELETE) ([^`]+)` \\| (\\w+) \\|$");
    for (String line : Files.readAllLines(Path.of("../docs/security.md"))) {
      Matcher m = row.matcher(line);
      if (m.matches()) {
        ROLE_TABLE.put(
            m.group(1) + " " + m.group(2),
            m.group(3).equals("anyone") ? null : Role.parse(m.group(3)).orElseThrow());
      }
    }
  }

  @AfterAll
  static void stop() {
    hub.stop();
  }

  static List<String[]> operations() {
    List<String[]> ops = new ArrayList<>();
    for (Iterator<String> p = doc.get("paths").fieldNames(); p.hasNext(); ) {
      String template = p.next();
      for (Iterator<String> m = doc.get("paths").get(template).fieldNames(); m.hasNext(); ) {
        String method = m.next().toUpperCase(Locale.ROOT);
        if (List.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method)) {
          ops.add(new String[] {method, template});
        }
      }
    }
    return ops;
  }

  int call(HttpTestClient client, String method, String template) throws Exception {
    String path = template.replaceAll("\\{[^}]+}", "probe-id");
    // only the status: some answers are endless streams
    return switch (method) {
      case "POST", "PATCH" -> client.method(method, path, "{}").status();
      default -> client.status(method, path);
    };
  }

  @Test
  void theReadmeTableIsTheCodesTable() throws Exception {
    List<String> readmeRows = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("../docs/security.md"))) {
      if (line.matches("^\\| `(GET|POST|PUT|PATCH|DELETE) [^`]+` \\| \\w+ \\|$")) {
        readmeRows.add(line);
      }
    }
    assertEquals(AccessPolicy.markdownRows(), readmeRows);
  }

  @Test
  void everyDocumentedOperationHasARowInTheTable() {
    for (String[] op : operations()) {
      assertTrue(
          ROLE_TABLE.containsKey(op[0] + " " + op[1]),
          op[0] + " " + op[1] + " is missing from the role table of docs/security.md");
    }
  }

  @Test
  void everyOperationAnswersEachCallerAsTheTableSays() throws Exception {
    HttpTestClient anonymous = hub.http.as(null);
    HttpTestClient forged = hub.http.as("hk_0123456789ab_not-a-real-secret");
    for (String[] op : operations()) {
      String what = op[0] + " " + op[1];
      Role needed = ROLE_TABLE.get(what);
      if (needed == null) {
        assertNotEquals(401, call(anonymous, op[0], op[1]), what + " is open");
        continue;
      }
      assertEquals(401, call(anonymous, op[0], op[1]), what + " without credentials");
      assertEquals(401, call(forged, op[0], op[1]), what + " with an unknown key");
      for (Role role : Role.values()) {
        int status = call(CLIENTS.get(role), op[0], op[1]);
        if (role.covers(needed)) {
          assertTrue(status != 401 && status != 403, what + " as " + role + ": " + status);
        } else {
          assertEquals(403, status, what + " as " + role);
        }
      }
    }
  }

  @Test
  void aRevokedKeyIsRefusedWithinASecond() throws Exception {
    var made = hub.http.post("/api/keys", "{\"name\": \"short-lived\", \"role\": \"viewer\"}");
    String key = made.json().get("key").asText();
    HttpTestClient client = hub.http.as(key);
    Eventually.eventually(
        () -> client.get("/api/agents").status() == 200 ? true : null,
        "the new key to be accepted");
    assertEquals(
        200, hub.http.method("DELETE", "/api/keys/" + made.json().get("id").asText()).status());
    long revoked = System.nanoTime();
    Eventually.eventually(
        () -> client.get("/api/agents").status() == 401 ? true : null,
        "the revoked key to be refused");
    long ms = (System.nanoTime() - revoked) / 1_000_000;
    assertTrue(ms < 1000, "refused after " + ms + " ms");
    var listed = hub.http.get("/api/keys").json().get("items");
    boolean shownRevoked = false;
    for (JsonNode k : listed) {
      shownRevoked |=
          k.get("name").asText().equals("short-lived")
              && k.get("revoked_at").isTextual()
              && k.get("key").isNull();
    }
    assertTrue(shownRevoked, listed.toString());
  }

  /** A real upgrade: refused with the status, or opened (and closed again). */
  static int upgrade(String path, String credential) throws Exception {
    String url =
        "ws://127.0.0.1:"
            + hub.http.port
            + path
            + (credential == null
                ? ""
                : (path.contains("?") ? "&" : "?") + "access_token=" + credential);
    try {
      WebSocket ws =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .header("Origin", hub.http.base()) // a browser's page, as the hub served it
              .buildAsync(URI.create(url), new WebSocket.Listener() {})
              .get(10, TimeUnit.SECONDS);
      ws.abort();
      return 101;
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof java.net.http.WebSocketHandshakeException h) {
        return h.getResponse().statusCode();
      }
      throw new CompletionException(e.getCause());
    }
  }

  @Test
  void webSocketsAreCheckedOnTheUpgrade() throws Exception {
    for (String path : List.of("/ws", "/api/events", "/ws/worker")) {
      Role needed = ROLE_TABLE.get("GET " + path);
      assertEquals(401, upgrade(path, null), path + " without credentials");
      for (Role role : Role.values()) {
        int status = upgrade(path, KEYS.get(role));
        assertEquals(role.covers(needed) ? 101 : 403, status, path + " as " + role);
      }
    }
  }

  @Test
  void aViewerDashboardMayWatchButNotChangeTheHive() throws Exception {
    LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
    WebSocket ws =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .buildAsync(
                URI.create(
                    "ws://127.0.0.1:"
                        + hub.http.port
                        + "/ws?access_token="
                        + KEYS.get(Role.VIEWER)),
                new WebSocket.Listener() {
                  @Override
                  public java.util.concurrent.CompletionStage<?> onText(
                      WebSocket w, CharSequence data, boolean last) {
                    received.add(data.toString());
                    w.request(1);
                    return null;
                  }
                })
            .get(10, TimeUnit.SECONDS);
    ws.sendText(
        "{\"action\": \"create_task\", \"correlation_id\": \"c1\", \"payload\": "
            + "{\"title\": \"sneaky\"}}",
        true);
    String answer = null;
    for (int i = 0; i < 50 && answer == null; i++) {
      String next = received.poll(10, TimeUnit.SECONDS);
      if (next != null && next.contains("\"c1\"")) {
        answer = next;
      }
    }
    ws.abort();
    assertTrue(answer != null && answer.contains("forbidden"), String.valueOf(answer));
  }
}
