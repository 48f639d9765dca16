package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A thousand assorted bad requests: each is a 4xx with the error body; the hub stays healthy. */
@Tag("database-neutral") // the edge or the launcher's own checks: the same on every database
class MalformedRequestsTest {
  @TempDir static Path dataDir;
  static ApiTestHub hub;

  @BeforeAll
  static void start() throws Exception {
    hub = ApiTestHub.start("MalformedRequestsTest", dataDir, "hive.http.max-body-size = 16k");
  }

  @AfterAll
  static void stop() {
    hub.stop();
  }

  /** One bad body of each kind, chosen by {@code i}. */
  static byte[] badBody(int i, Random random) {
    String s =
        switch (i % 12) {
          case 0 -> "{\"title\": "; // truncated
          case 1 -> "not json at all " + random.nextInt(); // garbage
          case 2 -> "{\"title\": 42, \"priority\": []}"; // wrong types
          case 3 -> "{\"title\": \"t\", \"max_attempts\": 1" + "0".repeat(60) + "}"; // huge number
          case 4 -> "[".repeat(200) + "]".repeat(200); // deep nesting
          case 5 -> "{\"title\": \"t\", \"surprise\": true}"; // unknown field
          case 6 -> "{\"title\": \"" + "x".repeat(20_000) + "\"}"; // oversized
          case 7 -> ""; // empty
          case 8 -> "{\"title\": \"t\", \"required_capabilities\": [{\"name\": 1}]}";
          case 9 -> "{\"title\": \"t\", \"deadline\": \"tomorrow\"}";
          case 10 -> "{\"title\": \"t\", \"priority\": 11, \"timeout_ms\": -5}";
          default -> null;
        };
    if (s != null) {
      return s.getBytes(StandardCharsets.UTF_8);
    }
    return new byte[] {
      '{', '"', 't', 'i', 't', 'l', 'e', '"', ':', '"', (byte) 0xFF, (byte) 0xFE, '"', '}'
    }; // invalid UTF-8
  }

  @Test
  void aThousandMalformedRequestsAreAll4xxWithTheErrorBody() throws Exception {
    Random random = new Random(42);
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      String path = i % 2 == 0 ? "/api/tasks" : "/api/agents";
      String type = i % 97 == 0 ? "application/xml" : "application/json";
      var r = hub.http.postBytes(path, badBody(i, random), type);
      boolean ok =
          r.status() >= 400
              && r.status() < 500
              && r.json() != null
              && r.json().at("/error/code").isTextual()
              && r.json().at("/request_id").asText().equals(r.header("X-Request-Id"));
      if (!ok) {
        problems.add(
            i + ": " + r.status() + " " + r.body().substring(0, Math.min(200, r.body().length())));
      }
    }
    assertEquals(List.of(), problems.subList(0, Math.min(10, problems.size())));
    assertEquals(200, hub.http.get("/health").status());
    assertEquals(200, hub.http.get("/ready").status());
    var fine = hub.http.post("/api/tasks", "{\"title\": \"still works\"}");
    assertEquals(201, fine.status(), fine.body());
  }
}
