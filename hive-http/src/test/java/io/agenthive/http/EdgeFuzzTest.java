package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 10,000 hostile requests against a real hub with the default limits, over raw sockets from four
 * addresses at once: oversized and too many headers, long URIs, garbage methods, paths and
 * versions, foreign Origins and Hosts, bad tokens, random and slowly sent bodies, lying lengths,
 * clients that hang up. None may get a 5xx, every refusal is the one error body, and afterwards the
 * hub is healthy and takes a task.
 */
@Tag("database-neutral") // the edge or the launcher's own checks: the same on every database
class EdgeFuzzTest {
  static final int REQUESTS = 10_000;
  static final int THREADS = 4;
  static final String[] PATHS = {
    "/api/tasks",
    "/api/agents",
    "/api/hive/status",
    "/ws",
    "/mcp",
    "/api/keys",
    "/metrics",
    "/api/events",
    "/api/tasks/x/cancel",
    "/api/users/bob",
    "/",
    "/nowhere",
    "/api/budgets/b"
  };
  @TempDir static Path dataDir;
  static ApiTestHub hub;

  @BeforeAll
  static void start() throws Exception {
    hub = ApiTestHub.start("EdgeFuzzTest", dataDir, "");
  }

  @AfterAll
  static void stop() {
    hub.stop();
  }

  /** What one request got: a status, or none (the connection closed first). */
  record Outcome(int kind, int status, String code, String sample) {}

  @Test
  void tenThousandHostileRequestsGetNo5xxAndLeaveTheHubHealthy() throws Exception {
    long started = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    List<Future<List<Outcome>>> parts = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      parts.add(pool.submit(() -> run(thread)));
    }
    List<Outcome> outcomes = new ArrayList<>();
    for (Future<List<Outcome>> part : parts) {
      outcomes.addAll(part.get());
    }
    pool.shutdown();
    double seconds = (System.nanoTime() - started) / 1e9;
    Map<Integer, Integer> byStatus = new TreeMap<>();
    List<String> problems = new ArrayList<>();
    for (Outcome o : outcomes) {
      byStatus.merge(o.status(), 1, Integer::sum);
      if (o.status() >= 500) {
        problems.add("kind " + o.kind() + ": " + o.status() + " " + o.sample());
      } else if (o.status() >= 400 && o.code() == null && o.kind() != Kind.HEAD.ordinal()) {
        problems.add("kind " + o.kind() + ": " + o.status() + " without the error body");
      } else if (o.status() == 0 && o.kind() != Kind.HANG_UP.ordinal()) {
        problems.add("kind " + o.kind() + ": no answer");
      }
    }
    System.out.printf(
        "%d requests in %.1f s from %d addresses: %s%n",
        outcomes.size(), seconds, THREADS, byStatus);
    assertEquals(REQUESTS, outcomes.size());
    assertEquals(
        List.of(), problems.subList(0, Math.min(10, problems.size())), problems.size() + "");
    assertEquals(200, hub.http.get("/health").status());
    assertEquals(200, hub.http.get("/ready").status());
    var task = hub.http.post("/api/tasks", "{\"title\": \"after the fuzz\"}");
    assertEquals(201, task.status(), task.body());
    assertEquals(200, hub.http.get("/api/tasks/" + task.json().get("id").asText()).status());
  }

  @Test
  void withAuthenticationOnAndNoPublicHostsAnyNameIsAnswered() throws Exception {
    // a page that rebinds its name to the hub has no credentials to send: nothing to refuse
    try (RawHttp c = RawHttp.open(hub.http.port, "127.0.0.1")) {
      RawHttp.Answer a =
          c.send(
                  "GET /api/hive/status HTTP/1.1\r\nHost: hive.internal.example\r\n"
                      + "Authorization: Bearer "
                      + hub.adminKey
                      + "\r\nConnection: close\r\n\r\n")
              .read();
      assertEquals(200, a.status(), a.body());
    }
  }

  enum Kind {
    BIG_HEADER,
    MANY_HEADERS,
    LONG_URI,
    BAD_METHOD,
    BAD_PATH,
    FOREIGN_ORIGIN_POST,
    FOREIGN_ORIGIN_SOCKET,
    BAD_TOKEN,
    RANDOM_BODY,
    SLOW_BODY,
    BAD_VERSION,
    FOREIGN_HOST,
    LYING_LENGTH,
    HEAD,
    HANG_UP,
    HUGE_LENGTH
  }

  private static List<Outcome> run(int thread) throws Exception {
    Random random = new Random(1000 + thread);
    String from = "127.0.0." + (10 + thread);
    List<Outcome> outcomes = new ArrayList<>();
    for (int i = thread; i < REQUESTS; i += THREADS) {
      Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
      outcomes.add(one(kind, random, from));
    }
    return outcomes;
  }

  private static Outcome one(Kind kind, Random random, String from) throws Exception {
    String path = PATHS[random.nextInt(PATHS.length)];
    String auth = "Authorization: Bearer " + hub.adminKey + "\r\n";
    try (RawHttp c = RawHttp.open(hub.http.port, from)) {
      switch (kind) {
        case BIG_HEADER -> c.send(head("GET", path, auth + "X-Big: " + "a".repeat(10_000)));
        case MANY_HEADERS -> c.send(head("GET", path, auth + "X-H: 1\r\n".repeat(80)));
        case LONG_URI -> c.send(head("GET", path + "?q=" + "u".repeat(3_000), auth));
        case BAD_METHOD -> c.send(head(word(random), path, auth));
        case BAD_PATH -> c.send(head("GET", garbagePath(random), auth));
        case FOREIGN_ORIGIN_POST ->
            c.send(withBody("POST", path, auth + "Origin: https://evil.example\r\n", json(random)));
        case FOREIGN_ORIGIN_SOCKET ->
            c.send(
                head(
                    "GET",
                    "/ws",
                    auth
                        + "Origin: https://evil.example\r\nUpgrade: websocket\r\n"
                        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                        + "Sec-WebSocket-Version: 13"));
        case BAD_TOKEN -> c.send(head("GET", path, "Authorization: Bearer " + badToken(random)));
        case RANDOM_BODY -> c.send(withBody("POST", path, auth, randomBody(random)));
        case SLOW_BODY -> slowly(c, path, auth, json(random));
        case BAD_VERSION -> c.send("GET " + path + " HTTP/" + random.nextInt(10) + ".7\r\n\r\n");
        case FOREIGN_HOST ->
            c.send("GET " + path + " HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n");
        case LYING_LENGTH ->
            c.send(
                head(
                    "POST",
                    path,
                    auth
                        + "Content-Type: application/json\r\nContent-Length: -"
                        + random.nextInt(9)));
        case HEAD -> c.send(head("HEAD", path, auth));
        case HANG_UP -> {
          c.send("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Le");
          return new Outcome(kind.ordinal(), 0, null, ""); // closed by the client, unread
        }
        case HUGE_LENGTH ->
            c.send(
                head(
                        "POST",
                        path,
                        auth + "Content-Type: application/json\r\nContent-Length: 1073741824")
                    + "{\"title\": ");
      }
      RawHttp.Answer a = c.read();
      return new Outcome(
          kind.ordinal(),
          a.status(),
          a.code(),
          a.body().substring(0, Math.min(200, a.body().length())));
    } catch (IOException e) {
      return new Outcome(kind.ordinal(), 0, null, e.toString());
    }
  }

  private static String head(String method, String path, String headers) {
    return method
        + " "
        + path
        + " HTTP/1.1\r\nHost: localhost\r\n"
        + headers
        + (headers.isEmpty() || headers.endsWith("\r\n") ? "" : "\r\n")
        + "Connection: close\r\n\r\n";
  }

  private static byte[] withBody(String method, String path, String headers, byte[] body) {
    byte[] h =
        head(
                method,
                path,
                headers + "Content-Type: application/json\r\nContent-Length: " + body.length)
            .getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = new byte[h.length + body.length];
    System.arraycopy(h, 0, all, 0, h.length);
    System.arraycopy(body, 0, all, h.length, body.length);
    return all;
  }

  /** Headers at once, the body in three pieces (a slow client, what this case sends). */
  private static void slowly(RawHttp c, String path, String auth, byte[] body) throws Exception {
    c.send(
        head(
                "POST",
                path,
                auth + "Content-Type: application/json\r\nContent-Length: " + body.length)
            .getBytes(StandardCharsets.ISO_8859_1));
    int third = body.length / 3 + 1;
    for (int i = 0; i < body.length; i += third) {
      Thread.sleep(5); // the pace of the slow client, not a synchronisation
      c.send(java.util.Arrays.copyOfRange(body, i, Math.min(body.length, i + third)));
    }
  }

  private static String word(Random r) {
    String[] known = {"FOO", "G@T", "get", "PROPFIND", "TRACE", "CONNECT", "BREW", "\u0001X"};
    return r.nextBoolean() ? known[r.nextInt(known.length)] : randomAscii(r, 1 + r.nextInt(20));
  }

  private static String garbagePath(Random r) {
    String[] known = {"/%zz", "/api/../../etc/passwd", "//api//tasks", "/api/tasks/%00", "*"};
    return r.nextBoolean() ? known[r.nextInt(known.length)] : "/" + randomAscii(r, r.nextInt(60));
  }

  private static String badToken(Random r) {
    return switch (r.nextInt(4)) {
      case 0 -> "hk_0123456789ab_" + randomAscii(r, 43);
      case 1 -> "eyJhbGciOiJFUzI1NiJ9." + randomAscii(r, 80) + "." + randomAscii(r, 86);
      case 2 -> randomAscii(r, 1 + r.nextInt(200));
      default -> "hk_" + randomAscii(r, 10);
    };
  }

  private static byte[] json(Random r) {
    String[] shapes = {
      "{\"title\": \"fuzz " + r.nextInt() + "\"}",
      "{\"title\": 42}",
      "{\"name\": \"a\", \"type\": \"worker\"}",
      "[" + "[".repeat(r.nextInt(300)),
      "{\"title\": \"" + "x".repeat(r.nextInt(5_000)) + "\"}"
    };
    return shapes[r.nextInt(shapes.length)].getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] randomBody(Random r) {
    byte[] b = new byte[r.nextInt(3_000)];
    r.nextBytes(b);
    return b;
  }

  /** Printable ASCII without the characters that would end the line or the token. */
  private static String randomAscii(Random r, int n) {
    StringBuilder s = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      char ch = (char) (33 + r.nextInt(94));
      s.append(ch == '%' ? 'p' : ch);
    }
    return s.toString();
  }
}
