package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Control characters in ids and filters are refused at the edge, before any entity or query sees
 * them. Not tagged database-neutral: what it guards against happened on PostgreSQL only, and only a
 * PostgreSQL journal shows it (the last submission would fail with the journal's breaker open).
 */
class ControlCharacterIdsTest {
  @TempDir static Path dataDir;
  static ApiTestHub hub;

  @BeforeAll
  static void start() throws Exception {
    hub = ApiTestHub.start("ControlCharacterIdsTest", dataDir, "");
  }

  @AfterAll
  static void stop() {
    hub.stop();
  }

  @Test
  void aControlCharacterInAnIdOrFilterIsRefusedBeforeAnythingLooksItUp() throws Exception {
    // on PostgreSQL a task id holding U+0000 (in the path, or in a body's depends_on) failed its
    // entity's recovery over and over, which opened the journal's circuit breaker for every
    // entity of the node
    for (String path :
        List.of(
            "/api/tasks/%00",
            "/api/agents/a%01b/history",
            "/api/tasks?status=%00",
            "/api/audit/events?entity_id=x%7F")) {
      var r = hub.http.get(path);
      assertEquals(400, r.status(), path + ": " + r.body());
      assertEquals("bad_uri", r.json().at("/error/code").asText(), path);
    }
    var nul = hub.http.post("/api/tasks", "{\"title\": \"t\", \"depends_on\": [\"a\\u0000b\"]}");
    assertEquals(400, nul.status(), nul.body());
    assertEquals("depends_on[0]", nul.json().at("/error/field_errors/0/field").asText());
    assertEquals(201, hub.http.post("/api/tasks", "{\"title\": \"fine\"}").status());
  }
}
